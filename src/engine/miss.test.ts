import { describe, expect, it } from 'vitest';
import { missMessage, missReason, missRequestLine, missResponse, type Miss } from './miss.js';

const PAIRED = 'is the same, but an ID the request sends is paired with another recorded ID in this run';
const miss = (fields: Partial<Miss>): Miss => ({
  cassette: 'shop',
  operationId: 'usersGet',
  request: 'GET /v1/users/ada',
  recordings: 0,
  nearest: [],
  ...fields,
});
const near = [
  {
    id: 'r3',
    index: 3,
    differences: [
      { where: 'path', recorded: '/v1/users/bob', sent: '/v1/users/ada' },
      { where: 'query search', sent: 'x' },
    ],
  },
  { id: 'r5', index: 5, differences: [] },
];

describe('the explanation of a miss', () => {
  it('writes the request line with its query decoded, list parameters with [], and no ? without a query', () => {
    expect(missRequestLine('get', '/v1/users', {})).toBe('GET /v1/users');
    expect(missRequestLine('get', '/v1/users', { search: 'ada lovelace', queries: ['a+b', 'c'] })).toBe(
      'GET /v1/users?search=ada lovelace&queries[]=a+b&queries[]=c',
    );
  });

  it('gives in one sentence the nearest recording and its first difference, or why there is none', () => {
    expect(missReason(miss({}))).toBe('cassette "shop" holds no recording of usersGet');
    expect(missReason(miss({ recordings: 2 }))).toBe('no recording of usersGet in cassette "shop" came near');
    expect(missReason(miss({ recordings: 2, nearest: near }))).toBe(
      'nearest recording #3 (r3) of cassette "shop" differs at path: recorded "/v1/users/bob", sent "/v1/users/ada"',
    );
    expect(missReason(miss({ recordings: 2, nearest: [near[1]!] }))).toBe(`nearest recording #5 (r5) of cassette "shop" ${PAIRED}`);
  });

  it('explains every nearest recording with all its differences, and what to do when none came near', () => {
    const head = 'No recording in cassette "shop" matches GET /v1/users/ada (usersGet).';
    expect(missMessage(miss({}))).toBe(`${head} The cassette holds no recording of this operation. Record it, or replay with another --fallback.`);
    expect(missMessage(miss({ recordings: 4 }))).toBe(
      `${head} The cassette holds 4 recordings, none near, of this operation. Record it, or replay with another --fallback.`,
    );
    expect(missMessage(miss({ recordings: 4, nearest: near }))).toBe(
      `${head} Nearest recordings of usersGet: #3 (r3): path: recorded "/v1/users/bob", sent "/v1/users/ada"; query search: only in the request ("x") | #5 (r5): ${PAIRED}`,
    );
  });

  it("answers a miss with Appwrite's error shape, status 510, and the cassette in X-Vcr-Miss", () => {
    const response = missResponse(miss({}), '1.5.0');
    expect(response.status).toBe(510);
    expect(response.headers['x-vcr-miss']).toBe('shop');
    expect(response.body).toEqual({ kind: 'json', value: { message: missMessage(miss({})), code: 510, type: 'vcr_cassette_miss', version: '1.5.0' } });
  });
});
