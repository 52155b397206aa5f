import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../config/defaults.js';

/** What `spec/pin.json` says of the Appwrite spec this package is built for. */
export interface SpecPin {
  /** `info.version` of the pinned spec, e.g. `1.5.0`. */
  version: string;
  /** The file name in `spec/vendor/`. */
  file: string;
  /** Where it is published. */
  url: string;
  sha256: string;
}

let pin: SpecPin | null | undefined;

/** The pin of `spec/pin.json`, or null when the file cannot be read. Read once. */
export function specPin(): SpecPin | null {
  if (pin === undefined) {
    try {
      const raw = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'spec', 'pin.json'), 'utf8')) as Partial<Record<keyof SpecPin, unknown>>;
      const { version, file, url, sha256 } = raw;
      pin = typeof version === 'string' && typeof file === 'string' && typeof url === 'string' && typeof sha256 === 'string' ? { version, file, url, sha256 } : null;
    } catch {
      pin = null;
    }
  }
  return pin;
}

/** The hex sha256 of a document's bytes. */
export function sha256Of(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** How a sha256 is shown in start lines and `--version`: enough to tell two specs apart. */
export function shortSha256(sha256: string): string {
  return sha256.slice(0, 12);
}
