import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { VcrError } from '../errors/vcr-error.js';

/** Every `*.json` file under `dir`, as paths relative to it with `/` separators, sorted so reports are stable. */
export async function listCassetteFiles(dir: string): Promise<string[]> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (err as Error).message;
    throw new VcrError('CONFIG_INVALID', `Failed to read cassettes "${dir}": ${reason}`, { dir }, { cause: err });
  }
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
