import { join } from 'node:path';
import { REPO_ROOT, sharedFile } from './spec-files.js';

/** An Appwrite server spec from the reference data beside the repository; missing fails the test. */
export function appwriteSpec(version: '1.4.13' | '1.5.0' | '1.5.8' | '1.6.2'): string {
  return sharedFile('specs', `open-api3-${version}-server.json`);
}

/** Screenshots and other things to look at after a run (ignored by git). */
export const ARTIFACTS = join(REPO_ROOT, 'artifacts');
