import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../config/defaults.js';

let pinnedDigest: string | null | undefined;

/** The sha256 that `spec/pin.json` pins, or null when the file cannot be read. Read once. */
function pinned(): string | null {
  if (pinnedDigest === undefined) {
    try {
      const pin = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'spec', 'pin.json'), 'utf8')) as { sha256?: unknown };
      pinnedDigest = typeof pin.sha256 === 'string' ? pin.sha256 : null;
    } catch {
      pinnedDigest = null;
    }
  }
  return pinnedDigest;
}

/** True when `text` is byte for byte the spec that `spec/pin.json` pins. */
export function isPinnedSpec(text: string): boolean {
  const digest = pinned();
  return digest !== null && createHash('sha256').update(text).digest('hex') === digest;
}
