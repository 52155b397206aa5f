import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalPath, readCassette } from '../src/cassette/cassette-journal.js';
import { runCli } from './support/cli.js';
import { useFakeUpstream } from './support/fake-upstream.js';

const KEY = 'standard_diskfull0key';
const HEADERS = { 'content-type': 'application/json', 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': KEY };
/** 16 blocks of 512 bytes: room for the journal's header and a few small interactions, not for a 12 KB one. */
const LIMIT_BLOCKS = 16;

const fake = useFakeUpstream('vcr-record-disk-full-', KEY);

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('record when an append is cut short (a full disk)', () => {
  it('keeps the journal whole: the cut line is dropped, the next interaction is appended after the last whole one', async () => {
    const cassettes = join(fake.folder, 'full');
    const file = join(cassettes, 'full.json');
    const run = runCli(
      ['record', '--port', '0', '--quiet', '--upstream', fake.upstream.endpoint, '--cassettes', cassettes, '--cassette', 'full'],
      {},
      { fileSizeLimit: LIMIT_BLOCKS },
    );
    try {
      const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
      const create = (databaseId: string, name: string) =>
        fetch(`${endpoint}/databases`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ databaseId, name }) });

      expect((await create('before', 'Before')).status).toBe(201);
      await until(() => journalBytes(file)?.toString().split('\n').length === 3, 'the first append (header and one line)');
      const whole = await readFile(journalPath(file));

      // 12 KB of name: its line crosses the limit and is written only in part.
      expect((await create('huge', 'x'.repeat(12_000))).status).toBe(201);
      await until(() => /Failed to write cassette/.test(run.stderr()), 'the failed append to be reported');
      const torn = await readFile(journalPath(file));
      expect(torn.length).toBeGreaterThan(whole.length);
      expect(torn.subarray(0, whole.length).equals(whole)).toBe(true);
      expect(torn.at(-1)).not.toBe(0x0a);

      expect((await create('after', 'After')).status).toBe(201);
      // The cut is taken back first (the journal shrinks to its whole lines), then the line is appended.
      await until(() => {
        const now = journalBytes(file);
        return now !== null && now.length > whole.length && now.at(-1) === 0x0a;
      }, 'the next append');
      const ids = (await readCassette(file)).interactions.map((i) => (i.request.body as { value: { databaseId: string } }).value.databaseId);
      expect(ids).toEqual(['before', 'after']);
      const text = await readFile(journalPath(file), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text.split('\n').filter(Boolean)).toHaveLength(3);
    } finally {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  });
});

function journalBytes(file: string): Buffer | null {
  try {
    return readFileSync(journalPath(file));
  } catch {
    return null;
  }
}
