import { describe, expect, it } from 'vitest';
import type { Body } from '../model/exchange.js';
import type { Interaction } from '../model/interaction.js';
import { describeDifference, differences, shortValue } from './first-differences.js';
import { nearestRecordings } from './nearest-recordings.js';
import type { MatchableRequest } from './request-key.js';

const request = (changes: Partial<MatchableRequest> = {}): MatchableRequest => ({ method: 'POST', path: '/v1/users', query: {}, body: null, ...changes });
const json = (value: unknown): Body => ({ kind: 'json', value });

/** What a cassette miss tells about the recordings that came near the request. */
describe('differences between a request and a recording', () => {
  it('finds none between equal requests, whatever the method case, key order, or an empty body of any kind', () => {
    expect(differences(request({ body: json({ a: 1, b: 2 }) }), request({ method: 'post', body: json({ b: 2, a: 1 }) }))).toEqual([]);
    for (const body of [json({}), { kind: 'text', value: '' }, { kind: 'base64', value: '' }] as const) {
      expect(differences(request({ body }), request())).toEqual([]);
      expect(differences(request(), request({ body }))).toEqual([]);
    }
  });

  it('lists method, path, query names in sorted order, then body fields, with both values', () => {
    const sent = request({ method: 'PUT', path: '/v1/users/a', query: { b: '1', a: ['x'] }, body: json({ name: 'N', same: 1 }) });
    const recorded = request({ method: 'POST', path: '/v1/users/b', query: { b: '2', c: 'only' }, body: json({ name: 'M', same: 1 }) });
    expect(differences(sent, recorded, 10)).toEqual([
      { where: 'method', recorded: 'POST', sent: 'PUT' },
      { where: 'path', recorded: '/v1/users/b', sent: '/v1/users/a' },
      { where: 'query a', sent: ['x'] },
      { where: 'query b', recorded: '2', sent: '1' },
      { where: 'query c', recorded: 'only' },
      { where: 'body $.name', recorded: 'M', sent: 'N' },
    ]);
  });

  it('stops at the limit, five by default, one at a time', () => {
    const sent = request({ method: 'PUT', path: '/a', query: { a: '1', b: '1', c: '1', d: '1', e: '1' } });
    expect(differences(sent, request()).map((d) => d.where)).toEqual(['method', 'path', 'query a', 'query b', 'query c']);
    expect(differences(sent, request(), 1).map((d) => d.where)).toEqual(['method']);
    expect(differences(sent, request(), 2).map((d) => d.where)).toEqual(['method', 'path']);
    expect(differences(request({ query: { a: '1', b: '1' } }), request(), 1).map((d) => d.where)).toEqual(['query a']);
    const bodies = [request({ body: json({ a: 1, b: 1, c: [1, 2] }) }), request({ body: json({ a: 2, b: 2, c: [2, 3] }) })] as const;
    expect(differences(...bodies, 1).map((d) => d.where)).toEqual(['body $.a']);
    expect(differences(...bodies, 3).map((d) => d.where)).toEqual(['body $.a', 'body $.b', 'body $.c[0]']);
    expect(differences(...bodies, 4).map((d) => d.where)).toEqual(['body $.a', 'body $.b', 'body $.c[0]', 'body $.c[1]']);
    // The limit reached inside a list or an object ends the walk of what follows it too.
    expect(differences(request({ body: json({ c: [1, 2], d: 1 }) }), request({ body: json({ c: [2, 3], d: 2 }) }), 1).map((d) => d.where)).toEqual([
      'body $.c[0]',
    ]);
    expect(differences(request({ body: json({ c: { x: 1 }, d: 1 }) }), request({ body: json({ c: { x: 2 }, d: 2 }) }), 1).map((d) => d.where)).toEqual([
      'body $.c.x',
    ]);
  });

  it('walks objects and lists of the same length side by side, and names keys that are not identifiers in brackets', () => {
    const sent = request({ body: json({ list: [1, { x: 'a' }, 3], 'odd key': 1, $id: 'a', 'a-b': 1, '1a': 1, nested: { deep: { v: true } } }) });
    const recorded = request({ body: json({ list: [1, { x: 'b' }, 3], 'odd key': 2, $id: 'b', 'a-b': 2, '1a': 2, nested: { deep: { v: false } } }) });
    expect(differences(sent, recorded, 10)).toEqual([
      { where: 'body $.$id', recorded: 'b', sent: 'a' },
      { where: 'body $["1a"]', recorded: 2, sent: 1 },
      { where: 'body $.a-b', recorded: 2, sent: 1 },
      { where: 'body $.list[1].x', recorded: 'b', sent: 'a' },
      { where: 'body $.nested.deep.v', recorded: false, sent: true },
      { where: 'body $["odd key"]', recorded: 2, sent: 1 },
    ]);
  });

  it('gives lists of other lengths and values of other types whole, and a field on one side only with that side', () => {
    expect(differences(request({ body: json({ l: [1, 2] }) }), request({ body: json({ l: [1] }) }))).toEqual([
      { where: 'body $.l', recorded: [1], sent: [1, 2] },
    ]);
    expect(differences(request({ body: json({ l: { a: 1 } }) }), request({ body: json({ l: [1] }) }))).toEqual([
      { where: 'body $.l', recorded: [1], sent: { a: 1 } },
    ]);
    expect(differences(request({ body: json({ l: null }) }), request({ body: json({ l: {} }) }))).toEqual([{ where: 'body $.l', recorded: {}, sent: null }]);
    expect(differences(request({ body: json({ l: 'x' }) }), request({ body: json({}) }))).toEqual([{ where: 'body $.l', sent: 'x' }]);
    expect(differences(request({ body: json({}) }), request({ body: json({ l: 0 }) }))).toEqual([{ where: 'body $.l', recorded: 0 }]);
    expect(differences(request({ body: json([1]) }), request({ body: json('text') }))).toEqual([{ where: 'body', recorded: 'text', sent: [1] }]);
    expect(differences(request({ body: json(['y']) }), request({ body: json('x') }))).toEqual([{ where: 'body', recorded: 'x', sent: ['y'] }]);
  });

  it('compares text and bytes by size, and tells bodies of other kinds apart by kind', () => {
    const text = (value: string): Body => ({ kind: 'text', value });
    const bytes = (value: string): Body => ({ kind: 'base64', value: Buffer.from(value).toString('base64') });
    expect(differences(request({ body: text('abc') }), request({ body: text('abcd') }))).toEqual([
      { where: 'body', recorded: '4 characters of text', sent: '3 characters of text' },
    ]);
    expect(differences(request({ body: text('abc') }), request({ body: text('xyz') }))).toEqual([]);
    expect(differences(request({ body: bytes('abc') }), request({ body: bytes('ab') }))).toEqual([{ where: 'body', recorded: '2 bytes', sent: '3 bytes' }]);
    expect(differences(request({ body: text('abc') }), request({ body: bytes('abc') }))).toEqual([{ where: 'body', recorded: 'bytes', sent: 'text' }]);
    expect(differences(request({ body: text('abc') }), request())).toEqual([{ where: 'body', recorded: 'json', sent: 'text' }]);
    expect(differences(request({ body: bytes('abc') }), request({ body: json({}) }), 1)).toEqual([{ where: 'body', recorded: 'json', sent: 'bytes' }]);
  });

  it('compares multipart fields and files by name, size and digest', () => {
    const file = (sha256: string, size = 3): Body => ({
      kind: 'multipart',
      fields: { fileId: 'f1' },
      files: [{ field: 'file', filename: 'a.txt', contentType: 'text/plain', size, sha256 }],
    });
    expect(differences(request({ body: file('a'.repeat(64)) }), request({ body: file('b'.repeat(64), 4) }))).toEqual([
      { where: 'body $.file', recorded: `file a.txt (4 bytes, sha256 ${'b'.repeat(12)})`, sent: `file a.txt (3 bytes, sha256 ${'a'.repeat(12)})` },
    ]);
    expect(differences(request({ body: file('a') }), request({ body: { kind: 'multipart', fields: { fileId: 'f2' }, files: [] } }))).toEqual([
      { where: 'body $.file', sent: 'file a.txt (3 bytes, sha256 a)' },
      { where: 'body $.fileId', recorded: 'f2', sent: 'f1' },
    ]);
    expect(differences(request({ body: file('a') }), request({ body: json({ fileId: 'f1' }) }))).toEqual([{ where: 'body', recorded: 'json', sent: 'fields' }]);
  });

  it('keeps a long value as the first 199 characters of its JSON and an ellipsis, and short ones and scalars as they are', () => {
    const long = 'x'.repeat(201);
    expect(differences(request({ query: { q: long } }), request())).toEqual([{ where: 'query q', sent: `${'x'.repeat(199)}…` }]);
    expect(differences(request({ query: { q: 'x'.repeat(200) } }), request())).toEqual([{ where: 'query q', sent: 'x'.repeat(200) }]);
    const list = Array.from({ length: 80 }, (_, i) => i);
    expect(differences(request({ body: json({ l: list }) }), request({ body: json({ l: [] }) }))).toEqual([
      { where: 'body $.l', recorded: [], sent: `${JSON.stringify(list).slice(0, 199)}…` },
    ]);
    expect(differences(request({ body: json({ n: 12345678901234567890, b: false }) }), request({ body: json({ n: 1, b: null }) }))).toEqual([
      { where: 'body $.b', recorded: null, sent: false },
      { where: 'body $.n', recorded: 1, sent: 12345678901234567890 },
    ]);
  });

  it('describes a difference in one line, values as JSON cut to 80 characters', () => {
    expect(describeDifference({ where: 'body $.at', recorded: '2026-01-01', sent: '2026-01-02' })).toBe('body $.at: recorded "2026-01-01", sent "2026-01-02"');
    expect(describeDifference({ where: 'query a', sent: ['x'] })).toBe('query a: only in the request (["x"])');
    expect(describeDifference({ where: 'query c', recorded: 'only' })).toBe('query c: only in the recording ("only")');
    expect(describeDifference({ where: 'body $.b', recorded: null, sent: false })).toBe('body $.b: recorded null, sent false');
    expect(shortValue('x'.repeat(78))).toBe(`"${'x'.repeat(78)}"`);
    expect(shortValue('x'.repeat(79))).toBe(`"${'x'.repeat(78)}…`);
    expect(shortValue(undefined)).toBe('undefined');
  });
});

describe('nearest recordings', () => {
  const interaction = (id: string, req: MatchableRequest): Interaction => ({
    id,
    operationId: 'usersCreate',
    recordedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    request: { ...req, headers: {} },
    response: { status: 201, headers: {}, body: null },
  });
  const position = (i: Interaction): number => Number(i.id.slice(1));
  const asIs = (i: Interaction): MatchableRequest => i.request;

  it('lists the recordings with the fewest differences first, then in recorded order, at most three by default', () => {
    const sent = request({ query: { a: '1', b: '1', c: '1' } });
    const candidates = [
      interaction('r0', request({ query: { a: '2', b: '2', c: '2' } })),
      interaction('r1', request({ query: { a: '1', b: '2', c: '2' } })),
      interaction('r2', request({ query: { a: '1', b: '1', c: '2' } })),
      interaction('r3', request({ query: { a: '1', b: '2', c: '1' } })),
      interaction('r4', request({ query: { a: '1', b: '1', c: '1' } })),
    ];
    const near = nearestRecordings(sent, candidates, position, asIs);
    expect(near.map((n) => [n.id, n.index, n.differences.map((d) => d.where)])).toEqual([
      ['r4', 4, []],
      ['r2', 2, ['query c']],
      ['r3', 3, ['query b']],
    ]);
    expect(nearestRecordings(sent, candidates, position, asIs, 1).map((n) => n.id)).toEqual(['r4']);
    expect(nearestRecordings(sent, candidates, position, asIs, 10).map((n) => n.id)).toEqual(['r4', 'r2', 'r3', 'r1', 'r0']);
    expect(nearestRecordings(sent, [], position, asIs)).toEqual([]);
  });

  it('counts up to 50 differences to rank recordings and reports the first five of each', () => {
    const query = (n: number, value: string): Record<string, string> =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`q${String(i).padStart(2, '0')}`, value]));
    const sent = request({ query: query(60, 'sent') });
    // 55 differences against 52: both past five, the second is nearer; past 50 they tie and keep recorded order.
    const far = interaction('r0', request({ query: { ...query(60, 'sent'), ...query(55, 'old') } }));
    const nearer = interaction('r1', request({ query: { ...query(60, 'sent'), ...query(49, 'old') } }));
    const near = nearestRecordings(sent, [far, nearer], position, asIs);
    expect(near.map((n) => n.id)).toEqual(['r1', 'r0']);
    expect(near[0]?.differences.map((d) => d.where)).toEqual(['query q00', 'query q01', 'query q02', 'query q03', 'query q04']);
    const tied = nearestRecordings(sent, [far, interaction('r1', request({ query: { ...query(60, 'sent'), ...query(52, 'old') } }))], position, asIs);
    expect(tied.map((n) => n.id)).toEqual(['r0', 'r1']);
  });

  it('compares what `prepare` makes of each recording, and only the first 500 recordings', () => {
    const sent = request({ query: { a: '1' } });
    const candidates = Array.from({ length: 501 }, (_, i) => interaction(`r${i}`, request({ query: { a: i === 500 ? '1' : '2' } })));
    expect(nearestRecordings(sent, candidates, position, asIs, 1)).toEqual([
      { id: 'r0', index: 0, differences: [{ where: 'query a', recorded: '2', sent: '1' }] },
    ]);
    const prepared = nearestRecordings(sent, candidates.slice(0, 2), position, (i) => (i.id === 'r1' ? sent : i.request), 1);
    expect(prepared).toEqual([{ id: 'r1', index: 1, differences: [] }]);
  });
});
