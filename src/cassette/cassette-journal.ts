import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { VcrError } from '../errors/vcr-error.js';
import type { Interaction } from '../model/interaction.js';
import { jsonSyntaxProblem, parseJson } from '../model/parse-json.js';
import { checkInteraction, emptyCassette, parseCassette, type CassetteFile, type CassetteMeta } from './cassette-format.js';

/**
 * A recorder appends each interaction to `<cassette>.journal` as one line, and folds the journal into
 * the cassette (one atomic rewrite) when it stops or flushes. Appending costs the same at any cassette
 * size; the cassette stays one readable JSON document once recording ends. A recorder killed before
 * that leaves the journal: every reader (replay, lint, the next recorder) reads the cassette and its
 * journal together, and the next recorder folds it in first.
 *
 * The first line names the format and carries the cassette's meta (for a journal whose cassette file
 * does not exist yet); each further line is an interaction. Only whole lines count: a line without its
 * newline is what a kill left half-written, and is dropped. An interaction already in the cassette (same
 * `id`: a kill between the fold's rename and the journal's removal) is read once.
 */
export const JOURNAL_FORMAT = 'appwrite-vcr-journal';

export function journalPath(cassetteFile: string): string {
  return `${cassetteFile}.journal`;
}

export function journalHeader(meta: CassetteMeta): string {
  return `${JSON.stringify({ format: JOURNAL_FORMAT, version: 1, meta })}\n`;
}

export interface Journal {
  meta: CassetteMeta | null;
  interactions: Interaction[];
}

/** The journal of a cassette file, or null when it has none. Throws `CASSETTE_MALFORMED` naming the line. */
export async function readJournal(cassetteFile: string): Promise<Journal | null> {
  const file = journalPath(cassetteFile);
  let text: string;
  try {
    // A journal is only ever written by a recorder, never a link: one is refused, not followed.
    text = await readFile(file, { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NOFOLLOW });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    const reason = code === 'ELOOP' ? 'it is a link; a journal must be a file in the cassettes folder' : (err as Error).message;
    throw new VcrError('CASSETTE_MALFORMED', `Failed to load cassette journal "${file}": ${reason}`, { file }, { cause: err });
  }
  const end = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  const journal: Journal = { meta: null, interactions: [] };
  for (const [index, line] of lines.entries()) {
    const fail = (problem: string): never => {
      throw new VcrError('CASSETTE_MALFORMED', `Failed to load cassette journal "${file}": line ${index + 1}: ${problem}`, { file, line: index + 1 });
    };
    let value: unknown;
    try {
      value = parseJson(line);
    } catch (err) {
      return fail(`invalid JSON: ${jsonSyntaxProblem(err)}`);
    }
    if (index === 0) {
      const header = value as { format?: unknown; meta?: unknown };
      if (header?.format !== JOURNAL_FORMAT || typeof header.meta !== 'object' || header.meta === null)
        fail(`the first line must be the "${JOURNAL_FORMAT}" header`);
      journal.meta = header.meta as CassetteMeta;
      continue;
    }
    const problem = checkInteraction(value);
    if (problem) fail(problem);
    journal.interactions.push(value as Interaction);
  }
  return journal;
}

/** Adds the journal's interactions that the cassette does not hold yet, in journal order. */
export function mergeJournal(cassette: CassetteFile, journal: Journal): void {
  const known = new Set(cassette.interactions.map((i) => i.id));
  for (const interaction of journal.interactions) {
    if (known.has(interaction.id)) continue;
    known.add(interaction.id);
    cassette.interactions.push(interaction);
  }
}

/**
 * A cassette as its files hold it: the JSON document (when it exists) with its journal folded in.
 * Throws `CASSETTE_MALFORMED` (ENOENT when neither file exists).
 */
export async function readCassette(file: string): Promise<CassetteFile> {
  const text = await readCassetteText(file);
  const journal = await readJournal(file);
  if (text === null && journal === null) throw Object.assign(new Error(`ENOENT: no such cassette "${file}"`), { code: 'ENOENT' });
  const cassette = text !== null ? parseCassette(text, file) : null;
  if (!journal) return cassette as CassetteFile;
  return withJournal(cassette, journal);
}

/** A cassette file's text, or null when only its journal (or nothing) exists. */
export function readCassetteText(file: string): Promise<string | null> {
  return readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
}

/** The cassette with the journal folded in; only the journal when the cassette file does not exist. */
export function withJournal(cassette: CassetteFile | null, journal: Journal): CassetteFile {
  const into = cassette ?? emptyCassette(journal.meta ?? { createdBy: 'unknown', createdAt: new Date(0).toISOString(), specVersion: 'unknown' });
  mergeJournal(into, journal);
  return into;
}
