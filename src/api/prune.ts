import { resolve } from 'node:path';
import { cassettePath } from '../cassette/cassette-name.js';
import { pruneCassette } from '../cassette/prune-cassette.js';
import { VcrError } from '../errors/vcr-error.js';
import type { Summary } from '../engine/summary.js';

export interface PruneOptions {
  /** Folder of cassette files. */
  cassettes: string;
  /** A run's summary (`summary()`, or the `--summary-json` file read): its `unused` lists what to remove. */
  summary: Pick<Summary, 'unused'>;
  /** Rewrite the cassettes; without it, only say what would go. Default false. */
  write?: boolean;
}

export interface PrunedCassette {
  cassette: string;
  file: string;
  /** The recordings removed (or to be removed): place, ID, operation, method and path. */
  removed: { index: number; id: string; operationId: string | null; request: string }[];
  kept: number;
  /** Set when the file is gone: nothing to do. */
  missing?: boolean;
}

/**
 * Removes the recordings a run never replayed from their cassettes; see `pruneCassette` for how a file is
 * rewritten. Recordings are known by ID: one the summary names that the file no longer holds is skipped.
 * Throws `CASSETTE_NAME_INVALID` for a cassette name that leads out of the folder, `CONFIG_INVALID` for a summary without `unused`.
 */
export async function pruneCassettes(options: PruneOptions): Promise<PrunedCassette[]> {
  const unused = options.summary?.unused as unknown;
  if (unused === null || typeof unused !== 'object' || Array.isArray(unused))
    throw new VcrError('CONFIG_INVALID', 'Failed to prune cassettes: the summary has no "unused" object (write one with replay --summary-json FILE)', {
      option: 'from',
    });
  const dir = resolve(options.cassettes);
  const out: PrunedCassette[] = [];
  for (const [name, list] of Object.entries(unused as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) {
    if (!Array.isArray(list))
      throw new VcrError('CONFIG_INVALID', `Failed to prune cassettes: "unused.${name}" must be a list of recordings`, { option: 'from' });
    const ids = new Set(list.flatMap((entry: unknown) => (typeof (entry as { id?: unknown })?.id === 'string' ? [(entry as { id: string }).id] : [])));
    const file = cassettePath(dir, name);
    try {
      const result = await pruneCassette(file, ids, options.write === true);
      out.push({
        cassette: name,
        file,
        kept: result.kept,
        removed: result.removed.map(({ index, interaction }) => ({
          index,
          id: interaction.id,
          operationId: interaction.operationId,
          request: `${interaction.request.method} ${interaction.request.path}`,
        })),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      out.push({ cassette: name, file, kept: 0, removed: [], missing: true });
    }
  }
  return out;
}
