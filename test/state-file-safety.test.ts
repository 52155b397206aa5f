import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { runCli } from './support/cli.js';
import { KEY_HEADERS } from './support/server.js';

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'vcr-state-safety-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('one --state file, one server', () => {
  it('refuses a second server on a state file in use, naming the process that holds it, and lets it in once the first has stopped', async () => {
    const state = join(folder, 'shared.json');
    const cassettes = join(folder, 'c');
    const first = await startServer({ port: 0, cassettes, state });
    try {
      await expect(startServer({ port: 0, cassettes, state })).rejects.toThrow(
        `Failed to use state "${state}": process ${process.pid} is using it (stop it, or delete "${state}.lock" if it is gone)`,
      );
      await expect(startServer({ port: 0, cassettes, state })).rejects.toMatchObject({ code: 'STATE_LOCKED' });
    } finally {
      await first.close();
    }
    const second = await startServer({ port: 0, cassettes, state });
    await second.close();
  });
});

describe('a state write that fails', () => {
  it('is reported when it happens, not at exit, and leaves the last good state file as it was', async () => {
    const state = join(folder, 'small.json');
    // 8 blocks of 512 bytes: room for a few users, not for many.
    const run = runCli(['replay', '--port', '0', '--cassettes', join(folder, 'c2'), '--state', state], {}, { fileSizeLimit: 8 });
    try {
      const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
      const create = (userId: string) =>
        fetch(`${endpoint}/users`, {
          method: 'POST',
          headers: { ...KEY_HEADERS, 'content-type': 'application/json' },
          body: JSON.stringify({ userId, name: 'n'.repeat(100) }),
        });
      expect((await create('first')).status).toBe(201);
      let good = '';
      await until(() => {
        good = (() => {
          try {
            return readFileSync(state, 'utf8');
          } catch {
            return '';
          }
        })();
        return good.includes('"first"');
      }, 'the first state write');
      for (let i = 0; i < 20; i++) expect((await create(`user${i}`)).status).toBe(201);
      await until(() => /Failed to write state/.test(run.stderr()), 'the failed write to be reported');
      // Reported by the running server, which keeps answering.
      expect(run.child.exitCode).toBeNull();
      expect((await fetch(`${endpoint}/health`, { headers: KEY_HEADERS })).status).toBe(200);
      // The file is the last write that went through, whole: the cut one went to a temporary file.
      const kept = await readFile(state, 'utf8');
      expect(kept.length).toBeGreaterThanOrEqual(good.length);
      expect(kept.length).toBeLessThanOrEqual(8 * 512);
      expect(JSON.parse(kept)).toMatchObject({ format: 'appwrite-vcr-state' });
      expect(kept).toContain('"first"');
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  });
});
