import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startChild, type Child } from './child-process.js';

export interface FakeUpstream {
  /** The fake Appwrite process, started before the file's tests. */
  readonly upstream: Child;
  /** A temporary folder for the file's cassettes, removed after its tests. */
  readonly folder: string;
}

/** For a test file: the fake Appwrite as a separate process accepting `key`, and a temporary folder. */
export function useFakeUpstream(prefix: string, key: string): FakeUpstream {
  let upstream: Child | undefined;
  let folder: string | undefined;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), prefix));
    upstream = await startChild('test/support/fake-appwrite.ts', [], { FAKE_API_KEY: key });
  });
  afterAll(async () => {
    await upstream?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  return {
    get upstream() {
      if (!upstream) throw new Error('the fake upstream is not started yet (use it inside a test)');
      return upstream;
    },
    get folder() {
      if (!folder) throw new Error('the folder is not made yet (use it inside a test)');
      return folder;
    },
  };
}
