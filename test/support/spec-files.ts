import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The pinned spec, put in place by `npm ci`. */
export const PINNED_SPEC = join(REPO_ROOT, 'spec', 'vendor', 'open-api3-1.5.0-server.json');

/** Appwrite's reference data beside the repository (CI lays it there too). Missing data fails the test, never skips it. */
export function sharedFile(...parts: string[]): string {
  const dir = process.env.APPWRITE_VCR_SHARED_DIR ? resolve(process.env.APPWRITE_VCR_SHARED_DIR) : join(REPO_ROOT, '..', 'shared', 'appwrite');
  const file = join(dir, ...parts);
  if (!existsSync(file))
    throw new Error(
      `Reference file ${file} is missing: these tests need Appwrite's specs beside the repository (../shared/appwrite) or APPWRITE_VCR_SHARED_DIR.`,
    );
  return file;
}
