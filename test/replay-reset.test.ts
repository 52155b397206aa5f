import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyCassette, stringifyCassette } from '../src/cassette/cassette-format.js';
import type { Interaction } from '../src/model/interaction.js';
import { startServer, type VcrServer } from '../src/index.js';
import { jsonInteraction, user } from './support/cassette.js';

const HEADERS = { 'content-type': 'application/json', 'x-appwrite-project': 'p', 'x-appwrite-key': 'k' };
// A recorded ID.unique() and two live ones of the same shape.
const RECORDED = '66a0b1c2000120000001';
const LIVE_1 = '66b0c1d2000340000011';
const LIVE_2 = '66b0c1d2000340000022';

async function writeInteractions(dir: string, interactions: Interaction[]): Promise<void> {
  const cassette = emptyCassette({ createdBy: 'test', createdAt: '2026-01-01T00:00:00.000Z', specVersion: '1.5.0' });
  cassette.interactions.push(...interactions);
  await writeFile(join(dir, 'default.json'), stringifyCassette(cassette));
}

describe('POST /__vcr/reset starts the cassettes over', () => {
  let dir: string;
  let server: VcrServer;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcr-reset-'));
    await writeInteractions(dir, [
      jsonInteraction('1', 'GET', '/v1/users/ada', 200, user('ada', 'first')),
      jsonInteraction('2', 'GET', '/v1/users/ada', 200, user('ada', 'second')),
      jsonInteraction(
        '3',
        'POST',
        '/v1/databases',
        201,
        { $id: RECORDED, name: 'Ledger', $createdAt: '2026-01-01T00:00:00.000+00:00', $updatedAt: '2026-01-01T00:00:00.000+00:00', enabled: true },
        { body: { kind: 'json', value: { databaseId: RECORDED, name: 'Ledger' } } },
      ),
    ]);
    server = await startServer({ port: 0, cassettes: dir, fallback: 'schema' });
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const name = async (): Promise<string> => ((await (await fetch(`${server.endpoint}/users/ada`, { headers: HEADERS })).json()) as { name: string }).name;
  const reset = async (): Promise<number> => (await fetch(`${server.url}/__vcr/reset`, { method: 'POST', headers: { 'x-vcr-admin': '1' } })).status;
  const createDatabase = (id: string) =>
    fetch(`${server.endpoint}/databases`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ databaseId: id, name: 'Ledger' }) });

  it('replays repeated requests from their first recording again', async () => {
    expect([await name(), await name(), await name()]).toEqual(['first', 'second', 'second']);
    expect(await reset()).toBe(204);
    expect([await name(), await name()]).toEqual(['first', 'second']);
  });

  it('reads a cassette again when its file changed, and only then', async () => {
    expect(await name()).toBe('first');
    await writeInteractions(dir, [jsonInteraction('1', 'GET', '/v1/users/ada', 200, user('ada', 'edited'))]);
    // Loaded once: the running server still answers from what it read.
    expect(await name()).toBe('second');
    expect(await reset()).toBe(204);
    expect([await name(), await name()]).toEqual(['edited', 'edited']);
  });

  it('forgets client ID pairs, so the next test pairs its own new ID with the recording', async () => {
    const paired = await createDatabase(LIVE_1);
    expect(paired.headers.get('x-vcr-source')).toBe('cassette');
    expect(((await paired.json()) as { $id: string }).$id).toBe(LIVE_1);
    // The recorded ID is taken by the first live one until a reset.
    expect((await createDatabase(LIVE_2)).headers.get('x-vcr-source')).toBe('fallback');
    expect(await reset()).toBe(204);
    const again = await createDatabase(LIVE_2);
    expect(again.headers.get('x-vcr-source')).toBe('cassette');
    expect(((await again.json()) as { $id: string }).$id).toBe(LIVE_2);
  });
});
