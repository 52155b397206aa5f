import { describe, expect, it } from 'vitest';
import { canonicalJson, sortKeysDeep } from './canonical-json.js';
import { parseQuery } from './parse-query.js';
import { requestKey, type MatchableRequest } from './request-key.js';

/** Request identity, the part of matching with no server: the query string as PHP reads it, and the key a recording is found by. */
describe('request identity', () => {
  const plain = (query: Record<string, string | string[]>): Record<string, string | string[]> => ({ ...query });

  it('reads a query string as PHP does: a name without = is empty, + is a space, an undecodable escape stays as sent', () => {
    expect(plain(parseQuery('?flag&x=1'))).toEqual({ flag: '', x: '1' });
    expect(plain(parseQuery('&&a=1=2&'))).toEqual({ a: '1=2' });
    expect(plain(parseQuery('a=1&flag'))).toEqual({ a: '1', flag: '' });
    expect(plain(parseQuery('q=a+b%2Bc&bad=%zz+1'))).toEqual({ q: 'a b+c', bad: '%zz 1' });
    expect(plain(parseQuery('?'))).toEqual({});
    expect(plain(parseQuery(''))).toEqual({});
    expect(Object.keys(parseQuery('b=1&a=2&c=3'))).toEqual(['a', 'b', 'c']);
  });

  it('gathers bracketed and repeated names into lists in index order, then arrival order', () => {
    expect(plain(parseQuery('n[1]=b&n[0]=a&n[2]=c'))).toEqual({ n: ['a', 'b', 'c'] });
    expect(plain(parseQuery('n[]=x&n[]=y'))).toEqual({ n: ['x', 'y'] });
    expect(plain(parseQuery('n[10]=ten&n[9]=nine'))).toEqual({ n: ['nine', 'ten'] });
    // PHP appends `n[]` after the highest index so far.
    expect(plain(parseQuery('n[1]=b&n[]=a'))).toEqual({ n: ['b', 'a'] });
    expect(plain(parseQuery('n=a&n=b'))).toEqual({ n: ['a', 'b'] });
    expect(plain(parseQuery('n[]=a&n=b'))).toEqual({ n: ['a', 'b'] });
    // A bracketed name after a plain one starts the list afresh.
    expect(plain(parseQuery('n=plain&n[]=a'))).toEqual({ n: ['a'] });
    // Only `[]` and `[digits]` at the end are brackets; anything else is part of the name.
    expect(plain(parseQuery('a[x]=1&[0]=2&b]=3&c[1]x]=4&d[1.5]=5&e[-1]=6'))).toEqual({
      'a[x]': '1',
      '[0]': '2',
      'b]': '3',
      'c[1]x]': '4',
      'd[1.5]': '5',
      'e[-1]': '6',
    });
  });

  const request = (changes: Partial<MatchableRequest>): MatchableRequest => ({ method: 'POST', path: '/v1/users', query: {}, body: null, ...changes });

  it('gives a request the same key whatever its method case, its JSON key order, or an empty body of any kind', () => {
    const key = requestKey(request({ body: { kind: 'json', value: { a: 1, b: { c: 2, d: 3 } } } }));
    expect(requestKey(request({ method: 'post', body: { kind: 'json', value: { b: { d: 3, c: 2 }, a: 1 } } }))).toBe(key);
    const empty = requestKey(request({}));
    for (const body of [
      { kind: 'json', value: {} },
      { kind: 'text', value: '' },
      { kind: 'base64', value: '' },
    ] as const)
      expect(requestKey(request({ body }))).toBe(empty);
    // Bytes are compared decoded: base64 with or without its padding is the same bytes.
    expect(requestKey(request({ body: { kind: 'base64', value: 'dGV4dA==' } }))).toBe(requestKey(request({ body: { kind: 'base64', value: 'dGV4dA' } })));
  });

  it('gives different keys to requests that differ in method, path, query order, body or body kind', () => {
    const keys = [
      request({}),
      request({ method: 'PUT' }),
      request({ path: '/v1/users/' }),
      request({ query: { n: ['a', 'b'] } }),
      request({ query: { n: ['b', 'a'] } }),
      request({ body: { kind: 'json', value: [] } }),
      request({ body: { kind: 'json', value: null } }),
      request({ body: { kind: 'json', value: 'text' } }),
      request({ body: { kind: 'json', value: 5 } }),
      request({ body: { kind: 'json', value: '' } }),
      request({ body: { kind: 'json', value: false } }),
      request({ body: { kind: 'text', value: 'text' } }),
      request({ body: { kind: 'text', value: 'te xt' } }),
      request({ body: { kind: 'base64', value: Buffer.from('text').toString('base64') } }),
      request({ body: { kind: 'base64', value: Buffer.from('other').toString('base64') } }),
      request({ body: { kind: 'multipart', fields: { a: '1' }, files: [] } }),
      request({ body: { kind: 'multipart', fields: { a: '2' }, files: [] } }),
      request({ body: { kind: 'multipart', fields: {}, files: [{ field: 'file', filename: 'a.txt', contentType: 'text/plain', size: 1, sha256: 'aa' }] } }),
      request({ body: { kind: 'multipart', fields: {}, files: [{ field: 'file', filename: 'a.txt', contentType: 'text/plain', size: 1, sha256: 'bb' }] } }),
    ].map(requestKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('writes JSON with sorted keys at every level, leaving out undefined members and keeping list order', () => {
    expect(canonicalJson({ b: [3, { z: 1, y: undefined, x: null }], a: 'x' })).toBe('{"a":"x","b":[3,{"x":null,"z":1}]}');
    expect(canonicalJson(undefined)).toBe('null');
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${String(19 - i).padStart(2, '0')}`, i]));
    expect(canonicalJson(many)).toBe(`{${Array.from({ length: 20 }, (_, i) => `"k${String(i).padStart(2, '0')}":${19 - i}`).join(',')}}`);
    expect(JSON.stringify(sortKeysDeep({ b: { d: 1, c: [{ f: 1, e: 2 }] }, a: null }))).toBe('{"a":null,"b":{"c":[{"e":2,"f":1}],"d":1}}');
  });
});
