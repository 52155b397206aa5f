import { rm } from 'node:fs/promises';
import { DataFile } from 'lowdb/node';
import type { Interaction } from '../model/interaction.js';
import { lockCassette } from './cassette-lock.js';
import { journalPath, readCassette } from './cassette-journal.js';
import { stringifyCassette, type CassetteFile } from './cassette-format.js';

export interface PruneResult {
  /** The recordings taken out (or that `write` would take out), in cassette order. */
  removed: { index: number; interaction: Interaction }[];
  /** Recordings left in the cassette. */
  kept: number;
}

/**
 * Takes the recordings with the given IDs out of a cassette file. Without `write` nothing changes (a dry
 * run). With it, under the cassette's lock (no recorder writes it meanwhile), the file and its journal are
 * read together and the rest is written in one atomic replacement (lowdb: a temporary file, then a
 * rename), then the folded journal is removed: a kill at any moment leaves the old cassette or the new one.
 */
export async function pruneCassette(file: string, ids: ReadonlySet<string>, write: boolean): Promise<PruneResult> {
  const unlock = write ? await lockCassette(file) : null;
  try {
    const cassette = await readCassette(file);
    const removed: PruneResult['removed'] = [];
    const kept: Interaction[] = [];
    cassette.interactions.forEach((interaction, index) => {
      if (ids.has(interaction.id)) removed.push({ index, interaction });
      else kept.push(interaction);
    });
    if (write && removed.length > 0) {
      const pruned: CassetteFile = { format: cassette.format, version: cassette.version, meta: cassette.meta, interactions: kept };
      await new DataFile<CassetteFile>(file, { parse: JSON.parse, stringify: stringifyCassette }).write(pruned);
      await rm(journalPath(file), { force: true });
    }
    return { removed, kept: kept.length };
  } finally {
    await unlock?.();
  }
}
