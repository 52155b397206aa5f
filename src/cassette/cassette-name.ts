import { existsSync, realpathSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { VcrError } from '../errors/vcr-error.js';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/**
 * The file of a cassette name, always inside `dir`. Names are one or more `/`-separated segments
 * of letters, digits, `.`, `_` and `-`; `..`, absolute paths, NUL bytes and links that lead out are refused.
 */
export function cassettePath(dir: string, name: string): string {
  const invalid = (reason: string): VcrError =>
    new VcrError('CASSETTE_NAME_INVALID', `Failed to use cassette "${name.replace(/[^\x20-\x7e]/g, '?')}": ${reason}`, { name });
  if (name.length === 0 || name.length > 255) throw invalid('a name is 1 to 255 characters long');
  const segments = name.split('/');
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..' || segment.includes('..')) {
      throw invalid('use letters, digits, ".", "_" and "-", optionally in "/"-separated folders; no "..", no absolute path');
    }
  }
  const root = resolve(dir);
  const file = resolve(root, `${segments.join(sep)}.json`);
  if (!file.startsWith(root + sep)) throw invalid('the name leads outside the cassettes folder');
  // A link anywhere on the way may point elsewhere: compare real paths of what exists.
  const realRoot = existsSync(root) ? realpathSync(root) : root;
  let probe = file;
  while (!existsSync(probe) && probe.startsWith(root + sep)) probe = dirname(probe);
  if (existsSync(probe) && probe !== root) {
    const real = realpathSync(probe);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) throw invalid('the name leads outside the cassettes folder through a link');
  }
  return file;
}
