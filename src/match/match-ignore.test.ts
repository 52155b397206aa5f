import { describe, expect, it } from 'vitest';
import type { Body } from '../model/exchange.js';
import { MatchIgnore } from './match-ignore.js';
import type { MatchableRequest } from './request-key.js';

const json = (value: unknown): Body => ({ kind: 'json', value });
const request = (changes: Partial<MatchableRequest> = {}): MatchableRequest => ({ method: 'POST', path: '/v1/x', query: {}, body: null, ...changes });
const bodyOf = (ignore: MatchIgnore, value: unknown): unknown => (ignore.apply(request({ body: json(value) })).body as { value: unknown }).value;

/** What `--match-ignore` leaves out of a request's identity. */
describe('match-ignore rules', () => {
  it('keeps its rules sorted and once each, and is empty without any', () => {
    const ignore = new MatchIgnore(['query:b', '$.a', 'query:b']);
    expect(ignore.rules).toEqual(['$.a', 'query:b']);
    expect(ignore.empty).toBe(false);
    expect(new MatchIgnore([]).empty).toBe(true);
    const same = request({ query: { b: '1' }, body: json({ a: 1 }) });
    expect(new MatchIgnore([]).apply(same)).toBe(same);
  });

  it('removes a named query parameter and no other, keeping the query prototype-free', () => {
    const ignore = new MatchIgnore(['query:ts', 'query:nonce']);
    const query = Object.assign(Object.create(null) as Record<string, string>, { ts: '1', nonce: 'n', keep: 'k' });
    const out = ignore.apply(request({ query }));
    expect({ ...out.query }).toEqual({ keep: 'k' });
    expect(Object.getPrototypeOf(out.query)).toBeNull();
    expect({ ...query }).toEqual({ ts: '1', nonce: 'n', keep: 'k' });
    // A JSON path rule names no query parameter, not even one called "undefined".
    const named = request({ query: { undefined: '1' }, body: json({ a: 1 }) });
    expect(new MatchIgnore(['$.b']).apply(named)).toBe(named);
    const untouched = request({ query: { keep: 'k' }, body: json({ ts: 1 }) });
    expect(ignore.apply(untouched)).toBe(untouched);
  });

  it('removes a top-level field, a nested one and a list item by index, leaving the original as it was', () => {
    const value = { at: 1, data: { at: 2, keep: 3 }, list: ['a', 'b', 'c'] };
    expect(bodyOf(new MatchIgnore(['$.at']), value)).toEqual({ data: { at: 2, keep: 3 }, list: ['a', 'b', 'c'] });
    expect(bodyOf(new MatchIgnore(['$.data.at']), value)).toEqual({ at: 1, data: { keep: 3 }, list: ['a', 'b', 'c'] });
    expect(bodyOf(new MatchIgnore(['$.list[1]']), value)).toEqual({ at: 1, data: { at: 2, keep: 3 }, list: ['a', 'c'] });
    expect(bodyOf(new MatchIgnore(['$.list[0]']), value)).toEqual({ at: 1, data: { at: 2, keep: 3 }, list: ['b', 'c'] });
    expect(bodyOf(new MatchIgnore(['$.at', '$.data.keep']), value)).toEqual({ data: { at: 2 }, list: ['a', 'b', 'c'] });
    expect(value).toEqual({ at: 1, data: { at: 2, keep: 3 }, list: ['a', 'b', 'c'] });
  });

  it('removes a field inside a list item by index, and leaves a list whose index is past its end', () => {
    const value = {
      list: [
        { at: 1, k: 1 },
        { at: 2, k: 2 },
      ],
    };
    expect(bodyOf(new MatchIgnore(['$.list[1].at']), value)).toEqual({ list: [{ at: 1, k: 1 }, { k: 2 }] });
    expect(bodyOf(new MatchIgnore(['$.list[0].at']), value)).toEqual({ list: [{ k: 1 }, { at: 2, k: 2 }] });
    const ignore = new MatchIgnore(['$.list[2]', '$.list[2].at', '$.list[0].none', '$.list.at', '$.none.at', '$.list[0].k.deeper']);
    const same = request({ body: json(value) });
    expect(ignore.apply(same)).toBe(same);
  });

  it('empties what `*` names last, and walks every child where it stands inside a path', () => {
    expect(bodyOf(new MatchIgnore(['$.data.*']), { data: { a: 1, b: 2 }, k: 1 })).toEqual({ data: {}, k: 1 });
    expect(bodyOf(new MatchIgnore(['$.list[*]']), { list: [1, 2], k: 1 })).toEqual({ list: [], k: 1 });
    expect(bodyOf(new MatchIgnore(['$.list[*].at']), { list: [{ at: 1, k: 1 }, { k: 2 }, 'x'] })).toEqual({ list: [{ k: 1 }, { k: 2 }, 'x'] });
    expect(bodyOf(new MatchIgnore(['$.*.at']), { a: { at: 1, k: 1 }, b: { at: 2 }, c: 3 })).toEqual({ a: { k: 1 }, b: {}, c: 3 });
  });

  it('removes a `..name` field at every depth, in objects and lists, and what a path below it names', () => {
    const value = { nonce: 1, a: { nonce: 2, b: [{ nonce: 3, k: 1 }, [{ nonce: 4 }]] }, k: 'nonce' };
    expect(bodyOf(new MatchIgnore(['$..nonce']), value)).toEqual({ a: { b: [{ k: 1 }, [{}]] }, k: 'nonce' });
    const nested = { meta: { at: 1, k: 1 }, list: [{ meta: { at: 2, k: 2 } }], other: { meta: 'text' } };
    expect(bodyOf(new MatchIgnore(['$..meta.at']), nested)).toEqual({ meta: { k: 1 }, list: [{ meta: { k: 2 } }], other: { meta: 'text' } });
    // A match found inside a match is removed too.
    expect(bodyOf(new MatchIgnore(['$..n.at']), { n: { at: 1, n: { at: 2, k: 1 } } })).toEqual({ n: { n: { k: 1 } } });
    const same = request({ body: json({ list: [{ k: 1 }], s: 'x' }) });
    expect(new MatchIgnore(['$..nonce', '$..meta.at']).apply(same)).toBe(same);
  });

  it('applies the paths to the fields of a multipart body and to nothing in text or bytes', () => {
    const file = { field: 'file', filename: 'a.txt', contentType: 'text/plain', size: 1, sha256: 'aa' };
    const ignore = new MatchIgnore(['$.ts']);
    const out = ignore.apply(request({ body: { kind: 'multipart', fields: { ts: '1', fileId: 'f' }, files: [file] } }));
    expect(out.body).toEqual({ kind: 'multipart', fields: { fileId: 'f' }, files: [file] });
    const others: Body[] = [
      { kind: 'text', value: 'ts=1' },
      { kind: 'base64', value: 'dHM9MQ==' },
      { kind: 'multipart', fields: { fileId: 'f' }, files: [] },
    ];
    for (const body of others) {
      const same = request({ body });
      expect(ignore.apply(same)).toBe(same);
    }
    const noBody = request();
    expect(ignore.apply(noBody)).toBe(noBody);
    const queryOnly = request({ body: json({ ts: 1 }) });
    expect(new MatchIgnore(['query:ts']).apply(queryOnly)).toBe(queryOnly);
  });

  it('keeps a prototype-free body prototype-free, and a JSON body that is not an object as it is', () => {
    const value = Object.assign(Object.create(null) as Record<string, unknown>, { ts: 1, k: 1 });
    const out = bodyOf(new MatchIgnore(['$.ts']), value) as object;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect({ ...out }).toEqual({ k: 1 });
    for (const scalar of ['text', 1, null, true]) expect(bodyOf(new MatchIgnore(['$.ts', '$..ts', '$.*']), scalar)).toBe(scalar);
  });

  it('keeps the method and path, and gives a new request only when something was removed', () => {
    const sent = request({ method: 'PATCH', path: '/v1/y', query: { ts: '1', k: '2' }, body: json({ ts: 1, k: 2 }) });
    const out = new MatchIgnore(['query:ts', '$.ts']).apply(sent);
    expect(out).toEqual({ method: 'PATCH', path: '/v1/y', query: { k: '2' }, body: json({ k: 2 }) });
    expect(sent.body).toEqual(json({ ts: 1, k: 2 }));
  });
});
