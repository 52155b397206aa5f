import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyCassette, stringifyCassette } from '../src/cassette/cassette-format.js';
import { IdMap, isUniqueId } from '../src/match/id-map.js';
import { requestKey } from '../src/match/request-key.js';
import type { Body } from '../src/model/exchange.js';
import type { Interaction } from '../src/model/interaction.js';
import { startServer } from '../src/index.js';

const json = (value: unknown): Body => ({ kind: 'json', value });
const key = (method: string, path: string, body: unknown = null): string => requestKey({ method, path, query: {}, body: body === null ? null : json(body) });

// Recorded run and live run: same clock shape, different random tails.
const R1 = '66a0b1c2000120000001';
const R2 = '66a0b1c2000120000002';
const L1 = '66b0c1d2000340000011';
const L2 = '66b0c1d2000340000022';

describe('client-generated ID pairing', () => {
  it('recognises the ID.unique() shape and nothing else', () => {
    expect(isUniqueId(R1)).toBe(true);
    expect(isUniqueId('ffffffffffffffffffff')).toBe(false); // the fraction part is over 999999 microseconds
    expect(isUniqueId('00000000000000000001')).toBe(false); // 1970 is not a clock value of an ID
  });

  it('pairs a new ID with the recorded ID at the same place, then maps it in later requests', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/users', { userId: R1, name: 'Ada' }));
    map.addRecorded(key('GET', `/v1/users/${R1}`));
    const live = key('POST', '/v1/users', { userId: L1, name: 'Ada' });
    expect(map.pair(map.toRecorded(live), () => true)).toBe(key('POST', '/v1/users', { userId: R1, name: 'Ada' }));
    expect(map.toRecorded(key('GET', `/v1/users/${L1}`))).toBe(key('GET', `/v1/users/${R1}`));
  });

  it('gives two live IDs of the same shape the two recorded IDs in recorded order', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/users', { userId: R1 }));
    map.addRecorded(key('POST', '/v1/users', { userId: R2 }));
    expect(map.pair(key('POST', '/v1/users', { userId: L1 }), () => true)).toBe(key('POST', '/v1/users', { userId: R1 }));
    expect(map.pair(key('POST', '/v1/users', { userId: L2 }), () => true)).toBe(key('POST', '/v1/users', { userId: R2 }));
    expect(
      map.toLive({ status: 200, headers: { location: `/v1/users/${R2}` }, body: json({ users: [{ $id: R1 }, { $id: R2, note: `made ${R2}` }] }) }),
    ).toEqual({
      status: 200,
      headers: { location: `/v1/users/${L2}` },
      body: json({ users: [{ $id: L1 }, { $id: L2, note: `made ${L2}` }] }),
    });
  });

  it('pairs nothing when anything but the IDs differs, and remembers nothing from a failed try', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/users', { userId: R1, name: 'Ada' }));
    expect(map.pair(key('POST', '/v1/users', { userId: L1, name: 'Bob' }), () => true)).toBeNull();
    expect(map.pair(key('POST', '/v1/users', { userId: L1, name: 'Ada' }), () => false)).toBeNull();
    expect(map.size).toBe(0);
    expect(map.toRecorded(key('GET', `/v1/users/${L1}`))).toBe(key('GET', `/v1/users/${L1}`));
  });

  it('refuses a pairing that would give one recorded ID two live IDs', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/teams', { teamId: R1, userId: R1 }));
    expect(map.pair(key('POST', '/v1/teams', { teamId: L1, userId: L2 }), () => true)).toBeNull();
    expect(map.pair(key('POST', '/v1/teams', { teamId: L1, userId: L1 }), () => true)).not.toBeNull();
  });
});

describe('replay with client-generated IDs', () => {
  it('answers a run with new IDs from a recording, with the live IDs in bodies and headers', async () => {
    const cassettes = await mkdtemp(join(tmpdir(), 'vcr-id-map-'));
    const interaction = (
      id: string,
      method: string,
      path: string,
      body: unknown,
      status: number,
      answer: unknown,
      headers: Record<string, string> = {},
    ): Interaction => ({
      id,
      operationId: null,
      recordedAt: '2024-07-24T00:00:00.000Z',
      durationMs: 1,
      request: { method, path, query: {}, headers: {}, body: body === null ? null : json(body) },
      response: { status, headers: { 'content-type': 'application/json', ...headers }, body: json(answer) },
    });
    const cassette = emptyCassette({ createdBy: 'test', createdAt: '2024-07-24T00:00:00.000Z', specVersion: '1.5.0' });
    cassette.interactions.push(
      interaction(
        '1',
        'POST',
        '/v1/users',
        { userId: R1, email: 'ada@example.com', password: '[redacted]' },
        201,
        { $id: R1, name: 'Ada' },
        { 'x-resource': `/v1/users/${R1}` },
      ),
      interaction('2', 'GET', `/v1/users/${R1}`, null, 200, { $id: R1, name: 'Ada', targets: [{ userId: R1 }] }),
    );
    await writeFile(join(cassettes, 'default.json'), stringifyCassette(cassette));
    const server = await startServer({ port: 0, cassettes });
    try {
      const headers = { 'content-type': 'application/json', 'x-appwrite-project': 'p', 'x-appwrite-key': 'k' };
      const created = await fetch(`${server.endpoint}/users`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ userId: L1, email: 'ada@example.com', password: 'a real password' }),
      });
      expect(created.headers.get('x-vcr-source')).toBe('cassette');
      expect(created.headers.get('x-resource')).toBe(`/v1/users/${L1}`);
      expect(await created.json()).toEqual({ $id: L1, name: 'Ada' });
      const read = await fetch(`${server.endpoint}/users/${L1}`, { headers });
      expect(read.headers.get('x-vcr-source')).toBe('cassette');
      expect(await read.json()).toEqual({ $id: L1, name: 'Ada', targets: [{ userId: L1 }] });
    } finally {
      await server.close();
      await rm(cassettes, { recursive: true, force: true });
    }
  });
});
