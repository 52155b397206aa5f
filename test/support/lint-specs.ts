import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is test/support/. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The Appwrite server spec of a version, from `../shared/appwrite/specs` beside the clone. Missing is a failure, not a skip. */
export function appwriteSpec(version: '1.4.13' | '1.5.0' | '1.5.8' | '1.6.2'): string {
  const file = resolve(REPO_ROOT, '..', 'shared', 'appwrite', 'specs', `open-api3-${version}-server.json`);
  if (!existsSync(file)) throw new Error(`The Appwrite ${version} spec is missing at ${file}: the lint tests need ../shared/appwrite/specs beside the repository.`);
  return file;
}

export const ARTIFACTS = join(REPO_ROOT, 'artifacts');
