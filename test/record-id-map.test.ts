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
const L3 = '66b0c1d2000340000033';

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

/** Client-generated IDs (ID.unique()) of a live run paired with those of a recording. */
describe('the ID map at its edges', () => {
  it('takes 20 lower-case hex digits from 2012-07-13 on, with at most f423f in the fraction, as an ID.unique()', () => {
    expect(isUniqueId('50000000000000000000')).toBe(true);
    expect(isUniqueId('4fffffff000000000000')).toBe(false);
    expect(isUniqueId('66a0b1c2f423f0000000')).toBe(true);
    expect(isUniqueId('66a0b1c2f42400000000')).toBe(false);
    expect(isUniqueId('66a0b1c2000120000001'.slice(0, 19))).toBe(false);
    expect(isUniqueId(`${R1}0`)).toBe(false);
  });

  it('pairs only IDs standing alone: not part of a longer word, in upper case, or too old to be a clock', () => {
    const map = new IdMap();
    for (const recorded of [`x${R1}`, `${R1}_`, `-${R1}`, R1.toUpperCase(), '00000000000000000001', `${R1}0`]) {
      map.addRecorded(key('GET', `/v1/users/${recorded}`));
      expect(map.pair(key('GET', `/v1/users/${recorded.replace(R1, L1)}`), () => true)).toBeNull();
    }
    expect(map.size).toBe(0);
    // The ID's place counts: `/x/ID/` is not `/x//ID`.
    map.addRecorded(key('GET', `/v1/x/${R1}/`));
    expect(map.pair(key('GET', `/v1/x//${L1}`), () => true)).toBeNull();
    map.addRecorded(key('GET', `/v1/users/${R1}.json`));
    expect(map.pair(key('GET', `/v1/users/${L1}.json`), () => true)).toBe(key('GET', `/v1/users/${R1}.json`));
  });

  it('counts every recorded key it is given, and pairs nothing before it has any with an ID', () => {
    const map = new IdMap();
    expect(map.indexed).toBe(0);
    expect(map.pair(key('GET', `/v1/users/${L1}`), () => true)).toBeNull();
    map.addRecorded(key('GET', '/v1/users'));
    map.addRecorded(key('GET', '/v1/users'));
    expect(map.indexed).toBe(2);
    expect(map.pair(key('GET', `/v1/users/${L1}`), () => true)).toBeNull();
    map.addRecorded(key('GET', `/v1/users/${R1}`));
    map.addRecorded(key('GET', `/v1/users/${R1}`));
    expect(map.indexed).toBe(4);
    expect(map.pair(key('GET', `/v1/users/${L1}`), () => true)).toBe(key('GET', `/v1/users/${R1}`));
    expect(map.size).toBe(1);
  });

  it('asks `accept` about each candidate of the shape in recorded order, and pairs with the first it allows', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/users', { userId: R1 }));
    map.addRecorded(key('POST', '/v1/users', { userId: R2 }));
    map.addRecorded(key('POST', '/v1/users', { userId: R1 }));
    const asked: string[] = [];
    expect(map.pair(key('POST', '/v1/users', { userId: L1 }), (candidate) => asked.push(candidate) < 0)).toBeNull();
    // The repeated recording is a candidate once.
    expect(asked).toEqual([key('POST', '/v1/users', { userId: R1 }), key('POST', '/v1/users', { userId: R2 })]);
    const chosen = map.pair(key('POST', '/v1/users', { userId: L1 }), (candidate) => candidate.includes(R2));
    expect(chosen).toBe(key('POST', '/v1/users', { userId: R2 }));
    expect(map.toRecorded(key('GET', `/v1/users/${L1}`))).toBe(key('GET', `/v1/users/${R2}`));
  });

  it('keeps an ID that the request shares with the recording, and pairs the others', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/teams', { teamId: R1, userId: R2 }));
    expect(map.pair(key('POST', '/v1/teams', { teamId: R1, userId: L2 }), () => true)).toBe(key('POST', '/v1/teams', { teamId: R1, userId: R2 }));
    expect(map.size).toBe(1);
    expect(map.toRecorded(`${L2} ${R1}`)).toBe(`${R2} ${R1}`);
  });

  it('pairs one live ID met twice with the same recorded ID twice, and refuses it against two recorded IDs', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/teams', { teamId: R1, userId: R2 }));
    expect(map.pair(key('POST', '/v1/teams', { teamId: L1, userId: L1 }), () => true)).toBeNull();
    map.addRecorded(key('POST', '/v1/x', { a: R1, b: R1 }));
    expect(map.pair(key('POST', '/v1/x', { a: L1, b: L1 }), () => true)).toBe(key('POST', '/v1/x', { a: R1, b: R1 }));
    expect(map.size).toBe(1);
  });

  it('never gives a recorded ID already paired to another live ID, nor pairs a live ID twice', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/users', { userId: R1 }));
    map.addRecorded(key('POST', '/v1/users/x', { userId: R1 }));
    map.addRecorded(key('POST', '/v1/users/y', { a: R1, b: R2 }));
    expect(map.pair(key('POST', '/v1/users', { userId: L1 }), () => true)).not.toBeNull();
    // R1 is L1's now: L2 cannot take it.
    expect(map.pair(key('POST', '/v1/users/x', { userId: L2 }), () => true)).toBeNull();
    // L1 stands for R1: a request holding it (R1 once toRecorded) where the recording has R2 is another run.
    expect(map.pair(map.toRecorded(key('POST', '/v1/users/y', { a: L3, b: L1 })), () => true)).toBeNull();
    map.addRecorded(key('POST', '/v1/z', { a: R2 }));
    expect(map.pair(map.toRecorded(key('POST', '/v1/z', { a: L1 })), () => true)).toBeNull();
    expect(map.pair(key('POST', '/v1/users/y', { a: R1, b: L3 }), () => true)).toBe(key('POST', '/v1/users/y', { a: R1, b: R2 }));
    expect(map.size).toBe(2);
  });

  it('pairs nothing when the request holds more or fewer IDs than the recording', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/x', { ids: [R1, R2] }));
    expect(map.pair(key('POST', '/v1/x', { ids: [L1] }), () => true)).toBeNull();
    expect(map.pair(key('POST', '/v1/x', { ids: [L1, L2, L3] }), () => true)).toBeNull();
    expect(map.size).toBe(0);
  });

  it('rewrites every paired recorded ID in an answer to its live ID: JSON keys and values at any depth, text, and header lists', () => {
    const map = new IdMap();
    map.addRecorded(key('POST', '/v1/x', { a: R1, b: R2 }));
    map.pair(key('POST', '/v1/x', { a: L1, b: L2 }), () => true);
    const answer = map.toLive({
      status: 201,
      headers: { location: `/v1/x/${R1}`, 'set-cookie': [`a=${R1}`, `b=${R2}`], 'x-short': 'short' },
      body: json({ [R1]: { list: [R2, 1, null, true, `${R1} and ${R2}`], other: 'untouched' } }),
    });
    expect(answer).toEqual({
      status: 201,
      headers: { location: `/v1/x/${L1}`, 'set-cookie': [`a=${L1}`, `b=${L2}`], 'x-short': 'short' },
      body: json({ [L1]: { list: [L2, 1, null, true, `${L1} and ${L2}`], other: 'untouched' } }),
    });
    expect(map.toLive({ status: 200, headers: {}, body: { kind: 'text', value: `id=${R2}` } })).toEqual({
      status: 200,
      headers: {},
      body: { kind: 'text', value: `id=${L2}` },
    });
    const bytes = { status: 200, headers: {}, body: { kind: 'base64', value: Buffer.from(R1).toString('base64') } } as const;
    expect(map.toLive(bytes)).toEqual(bytes);
    expect(map.toLive({ status: 204, headers: {}, body: null })).toEqual({ status: 204, headers: {}, body: null });
  });

  it('gives back the very answer when nothing is paired', () => {
    const map = new IdMap();
    const answer = { status: 200, headers: { location: `/v1/x/${R1}` }, body: json({ $id: R1 }) };
    expect(map.toLive(answer)).toBe(answer);
    expect(map.toRecorded(key('GET', `/v1/x/${L1}`))).toBe(key('GET', `/v1/x/${L1}`));
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
