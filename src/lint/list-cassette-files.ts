import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { journalPath } from '../cassette/cassette-journal.js';
import { VcrError } from '../errors/vcr-error.js';

const JOURNAL_SUFFIX = journalPath('');

/**
 * Every cassette under `dir`: each `*.json` file, and each `*.json.journal` whose cassette file does not
 * exist yet (a first recording that was never folded), as paths of the cassette file relative to `dir`
 * with `/` separators, sorted so reports are stable.
 */
export async function listCassetteFiles(dir: string): Promise<string[]> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (err as Error).message;
    throw new VcrError('CONFIG_INVALID', `Failed to read cassettes "${dir}": ${reason}`, { dir }, { cause: err });
  }
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Set<string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const name = entry.name.endsWith(JOURNAL_SUFFIX) ? entry.name.slice(0, -JOURNAL_SUFFIX.length) : entry.name;
    if (name.endsWith('.json')) files.add(relative(dir, join(entry.parentPath, name)).split(sep).join('/'));
  }
  return [...files].sort();
}
