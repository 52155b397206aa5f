import { describe, expect, it } from 'vitest';
import type { VcrRequest, VcrResponse } from '../model/exchange.js';
import type { Finding } from '../model/finding.js';
import { storedFindings } from './stored-findings.js';

const finding = (side: Finding['side'], path: string): Finding => ({
  kind: 'type-mismatch',
  severity: 'error',
  side,
  operationId: 'usersCreate',
  path,
  message: 'm',
});
const withValue = (side: Finding['side'], path: string, value: unknown): Finding => ({ ...finding(side, path), value });

/** The exchange as the cassette stores it: the secrets already placeholders. */
const request: VcrRequest = {
  method: 'POST',
  path: '/v1/users',
  query: { search: 'ada', 'a/b': 'slash' },
  headers: { 'x-appwrite-key': '[redacted]', 'x-custom': 'kept' },
  body: { kind: 'json', value: { password: '[redacted]', prefs: { 'a/b': 1, '~t': 2, nested: { deep: [5, 6] } }, nothing: null } },
};
const response: VcrResponse = { status: 201, headers: {}, body: { kind: 'json', value: { $id: 'ada', status: 'yes', long: 'x'.repeat(200) } } };

describe('the findings a cassette stores', () => {
  it('reads each value again from the stored exchange: the query, a header, the request body and the answer', () => {
    const sent = [
      withValue('request', 'query.search', 'sent'),
      withValue('request', 'header.x-appwrite-key', 'standard_secret'),
      withValue('request', '/password', 'hunter2'),
      withValue('request', '/prefs/a~1b', 0),
      withValue('request', '/prefs/~0t', 0),
      withValue('request', '/prefs/nested/deep/1', 0),
      withValue('request', '/nothing', 'x'),
      withValue('response', '/status', 'sent'),
      withValue('response', '', 'whole'),
    ];
    expect(storedFindings(sent, request, response).map((f) => [f.path, f.value])).toEqual([
      ['query.search', 'ada'],
      ['header.x-appwrite-key', '[redacted]'],
      ['/password', '[redacted]'],
      ['/prefs/a~1b', 1],
      ['/prefs/~0t', 2],
      ['/prefs/nested/deep/1', 6],
      ['/nothing', null],
      ['/status', 'yes'],
      ['', `${JSON.stringify(response.body?.kind === 'json' ? response.body.value : null).slice(0, 117)}...`],
    ]);
  });

  it('drops a value the stored exchange does not hold at the path, and keeps a finding without one as it is', () => {
    const sent = [
      withValue('request', 'query.missing', 'x'),
      withValue('request', '/prefs/none', 'x'),
      withValue('request', '/prefs/a~1b/under', 'x'),
      withValue('request', '/nothing/under', 'x'),
      withValue('response', '/long/0', 'x'),
      finding('request', '/password'),
    ];
    const stored = storedFindings(sent, request, response);
    expect(stored.map((f) => Object.hasOwn(f, 'value'))).toEqual([false, false, false, false, false, false]);
    expect(stored[5]).toBe(sent[5]);
    expect(sent[0]!.value).toBe('x');
  });

  it('reads the fields of a multipart body, and nothing from a text body or none', () => {
    const multipart: VcrRequest = { ...request, body: { kind: 'multipart', fields: { fileId: 'f1' }, files: [] } };
    expect(storedFindings([withValue('request', '/fileId', 'x')], multipart, response)[0]!.value).toBe('f1');
    const text: VcrRequest = { ...request, body: { kind: 'text', value: '{"fileId":"f1"}' } };
    expect(Object.hasOwn(storedFindings([withValue('request', '/fileId', 'x')], text, response)[0]!, 'value')).toBe(false);
    expect(Object.hasOwn(storedFindings([withValue('response', '/x', 'x')], request, { ...response, body: null })[0]!, 'value')).toBe(false);
  });
});
