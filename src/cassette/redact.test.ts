import { describe, expect, it } from 'vitest';
import { parseRedactRule } from '../config/redact-rule.js';
import type { Body, Headers, VcrRequest } from '../model/exchange.js';
import { REDACTED, Redactor, SECRET_FIELDS, redactUrl } from './redact.js';

const json = (value: unknown): Body => ({ kind: 'json', value });
const request = (changes: Partial<VcrRequest> = {}): VcrRequest => ({ method: 'POST', path: '/v1/x', query: {}, headers: {}, body: null, ...changes });
const redactor = new Redactor();
const stored = (value: unknown): unknown => (redactor.body(json(value)) as { value: unknown }).value;
const answered = (value: unknown): unknown => (redactor.response({ status: 200, headers: {}, body: json(value) }).body as { value: unknown }).value;
const header = (name: string, value: string | string[], custom = redactor): Headers => custom.headers({ [name]: value });

/** What redaction makes of each kind of value before a cassette stores it. */
describe('redaction', () => {
  it('hides every secret field of Appwrite 1.5.0 by name, and only by the exact name', () => {
    // Appwrite 1.5.0's secret parameters and answer fields (see SECRET_FIELDS), written out: the test pins the list.
    const names = `password oldPassword secret jwt recoveryCodes credentials otp
      apiKey apiSecret authKey authToken serverKey serviceAccountJSON providerAccessToken providerRefreshToken
      passwordSalt passwordSaltSeparator passwordSignerKey salt saltSeparator signerKey`.split(/\s+/);
    expect([...SECRET_FIELDS].sort()).toEqual([...names].sort());
    for (const name of names) expect(stored({ [name]: 'v', keep: 'v' })).toEqual({ [name]: REDACTED, keep: 'v' });
    const near = { Password: 'v', passwords: 'v', key: 'v', token: 'v', value: 'v', userId: 'v', '': 'v' };
    expect(stored(near)).toEqual(near);
  });

  it('hides every string and number under a secret field, keeping empty strings, booleans and nulls, and the structure', () => {
    expect(stored({ credentials: { user: 'u', port: 587, tls: true, none: null, empty: '', list: ['a', '', 0, false], deep: { k: 'v' } } })).toEqual({
      credentials: { user: REDACTED, port: REDACTED, tls: true, none: null, empty: '', list: [REDACTED, '', REDACTED, false], deep: { k: REDACTED } },
    });
    expect(stored({ password: null })).toEqual({ password: null });
    expect(stored({ password: '' })).toEqual({ password: '' });
    expect(stored({ password: 0 })).toEqual({ password: REDACTED });
  });

  it('takes nulls anywhere in a body, at the top, in lists, in objects and under paths', () => {
    const custom = new Redactor(['$.a.b', '$..c', '$.l[*].d', '$.l[0]'].map(parseRedactRule));
    for (const value of [null, [null], { a: null }, { a: { b: null }, c: null, l: [null, { d: null }] }, { x: [null, { y: null }] }]) {
      expect(() => custom.body(json(value))).not.toThrow();
      expect(() => custom.response({ status: 200, headers: {}, body: json(value) })).not.toThrow();
    }
    expect((custom.body(json({ a: { b: null }, c: null, l: [null, { d: null }] })) as { value: unknown }).value).toEqual({
      a: { b: null },
      c: null,
      l: [null, { d: null }],
    });
    expect(custom.body(null)).toBeNull();
    expect(stored(null)).toBeNull();
  });

  it('hides an otpauth:// URI wherever it is, in any case, and no other string that starts with o', () => {
    const value = {
      uri: 'otpauth://totp/a?secret=X',
      list: ['OTPAUTH://totp/b', 'Otpauth://x'],
      keep: ['o', 'otp', 'otpauth:/', 'oauth://x', 'orange', 'O', 'x otpauth://', 'open otpauth://x'],
    };
    expect(stored(value)).toEqual({
      uri: REDACTED,
      list: [REDACTED, REDACTED],
      keep: ['o', 'otp', 'otpauth:/', 'oauth://x', 'orange', 'O', 'x otpauth://', 'open otpauth://x'],
    });
    expect(stored('otpauth://totp/a')).toBe(REDACTED);
    expect(stored('')).toBe('');
  });

  it('hides secrets inside a string that holds JSON, at any depth of strings within strings, and leaves other JSON text as it was', () => {
    const inner = JSON.stringify({ password: 'pw', name: 'n' });
    expect(stored({ data: inner })).toEqual({ data: `{"password":"${REDACTED}","name":"n"}` });
    for (const space of [' ', '\n', '\t', '\r']) expect(stored({ data: `${space}${inner}` })).toEqual({ data: `{"password":"${REDACTED}","name":"n"}` });
    expect(stored({ list: [JSON.stringify([{ apiKey: 'k' }])] })).toEqual({ list: [`[{"apiKey":"${REDACTED}"}]`] });
    const twice = JSON.stringify({ body: JSON.stringify({ secret: 's' }) });
    expect(stored({ data: twice })).toEqual({ data: JSON.stringify({ body: JSON.stringify({ secret: REDACTED }) }) });
    // Formatting is kept where nothing was hidden, and text that is not a JSON object or list is text.
    for (const text of ['{ "name" : "n" }', '[1, 2]', '{not json', '[redacted]', '"password"', ' 12', '{}'])
      expect(stored({ data: text })).toEqual({ data: text });
  });

  it('replaces a string holding JSON four strings deep whole, and redacts the levels above it', () => {
    let text = JSON.stringify({ k: 1 });
    for (let level = 0; level < 3; level++) text = JSON.stringify({ inner: text });
    expect(stored({ data: text })).toEqual({ data: text });
    // Four strings deep, a string that holds a JSON number is text, as at any depth.
    let scalar = ' 12';
    for (let level = 0; level < 4; level++) scalar = JSON.stringify({ inner: scalar });
    expect(stored({ data: scalar })).toEqual({ data: scalar });
    const deeper = JSON.stringify({ inner: text });
    const out = (stored({ data: deeper }) as { data: string }).data;
    let walked = out;
    for (let level = 0; level < 3; level++) walked = (JSON.parse(walked) as { inner: string }).inner;
    expect(JSON.parse(walked)).toEqual({ inner: REDACTED });
  });

  it('hides secrets in a text body or in bytes that hold JSON, and leaves other text and bytes untouched', () => {
    expect(redactor.body({ kind: 'text', value: '{"password":"pw"}' })).toEqual({ kind: 'text', value: `{"password":"${REDACTED}"}` });
    const bytes = Buffer.from('\n[{"secret":"s"}]').toString('base64');
    expect(redactor.body({ kind: 'base64', value: bytes })).toEqual({ kind: 'base64', value: Buffer.from(`[{"secret":"${REDACTED}"}]`).toString('base64') });
    for (const body of [
      { kind: 'text', value: 'password=pw' },
      { kind: 'text', value: '{"name":"n"}' },
      { kind: 'base64', value: Buffer.from('{"name":"n"}').toString('base64') },
      { kind: 'base64', value: Buffer.from([0xff, 0x7b, 0x00]).toString('base64') },
      { kind: 'base64', value: Buffer.from('password=pw').toString('base64') },
      { kind: 'base64', value: '' },
      { kind: 'text', value: '' },
    ] as const)
      expect(redactor.body(body)).toBe(body);
    expect(redactor.body({ kind: 'text', value: 'otpauth://totp/x?secret=S' })).toEqual({ kind: 'text', value: REDACTED });
  });

  it('keeps an answer secret or jwt as its shaped placeholder, a request one plain, and an empty one empty', () => {
    expect(answered({ secret: '042917', jwt: 'x', list: [{ secret: 'ab' }], other: { secret: '' } })).toEqual({
      secret: '[redacted:digits6]',
      jwt: '[redacted:jwt]',
      list: [{ secret: '[redacted:hex2]' }],
      other: { secret: '' },
    });
    expect(answered({ secret: 'a b', password: '123456', secret2: 'x' })).toEqual({ secret: REDACTED, password: REDACTED, secret2: 'x' });
    expect(answered({ secret: 123456 })).toEqual({ secret: REDACTED });
    expect(answered({ secret: ['1234'] })).toEqual({ secret: ['[redacted:digits4]'] });
    expect(stored({ secret: '042917' })).toEqual({ secret: REDACTED });
  });

  it('hides the value of a function variable, known by its $id, key, value and resourceType, and nothing that lacks one of them', () => {
    const variable = { $id: 'v', key: 'K', value: 'sk', resourceType: 'function' };
    expect(answered({ vars: [variable] })).toEqual({ vars: [{ ...variable, value: REDACTED }] });
    expect(answered({ ...variable, value: '' })).toEqual({ ...variable, value: '' });
    for (const missing of ['$id', 'key', 'resourceType'] as const) {
      const { [missing]: _gone, ...rest } = variable;
      expect(answered(rest)).toEqual(rest);
    }
    for (const changed of [{ value: 1 }, { key: 1 }, { resourceType: null }])
      expect(answered({ ...variable, ...changed })).toEqual({ ...variable, ...changed });
    const sent = request({ body: json({ key: 'K', value: 'sk', name: 'n' }) });
    expect(redactor.request(sent, 'functionsUpdateVariable').body).toEqual(json({ key: 'K', value: REDACTED, name: 'n' }));
    expect(redactor.request(sent, 'functionsCreateVariable').body).toEqual(json({ key: 'K', value: REDACTED, name: 'n' }));
    expect(redactor.request(sent, 'functionsCreate').body).toBe(sent.body);
    expect(redactor.request(sent).body).toBe(sent.body);
    const nested = request({ body: json({ data: { value: 'v' } }) });
    expect(redactor.request(nested, 'functionsCreateVariable').body).toBe(nested.body);
  });

  it('hides secret query parameters, single or listed, and leaves the others and the query object as they were', () => {
    const query = Object.assign(Object.create(null) as Record<string, string | string[]>, { secret: 's', otp: ['1', ''], userId: 'u' });
    const out = redactor.request(request({ query }));
    expect({ ...out.query }).toEqual({ secret: REDACTED, otp: [REDACTED, ''], userId: 'u' });
    expect(Object.getPrototypeOf(out.query)).toBeNull();
    expect(query.secret).toBe('s');
    const plain = request({ query: { userId: 'u' } });
    expect(redactor.matchable(plain)).toBe(plain);
  });

  it('hides each credential header whole, with no trace of its value, and leaves other headers and empty values alone', () => {
    for (const name of ['x-appwrite-key', 'x-appwrite-jwt', 'x-appwrite-session', 'x-vcr-admin-token', 'X-Appwrite-Key'])
      expect(header(name, 'standard_0123456789')).toEqual({ [name]: REDACTED });
    for (const name of ['x-appwrite-project', 'user-agent', 'x-appwrite-response-format']) expect(header(name, 'v')).toEqual({ [name]: 'v' });
    expect(header('x-appwrite-key', '')).toEqual({ 'x-appwrite-key': '' });
    expect(header('x-appwrite-key', ['a', '', 'b'])).toEqual({ 'x-appwrite-key': [REDACTED, '', REDACTED] });
    const same = { 'x-appwrite-project': ['p', 'q'], accept: 'application/json' };
    expect(redactor.headers(same)).toBe(same);
    const list = ['', ''];
    expect(header('cookie', list)['cookie']).toBe(list);
  });

  it('keeps the scheme of an Authorization value and hides the rest, and hides a value without a scheme whole', () => {
    expect(header('authorization', 'Bearer abc.def')).toEqual({ authorization: `Bearer ${REDACTED}` });
    expect(header('Authorization', 'Basic dXNlcjpwYXNz')).toEqual({ Authorization: `Basic ${REDACTED}` });
    expect(header('authorization', 'Digest a b c')).toEqual({ authorization: `Digest ${REDACTED}` });
    expect(header('authorization', 'plain-token-0123456789')).toEqual({ authorization: REDACTED });
    expect(header('authorization', 'x')).toEqual({ authorization: REDACTED });
  });

  it('keeps cookie names and attributes, and hides their values', () => {
    expect(header('cookie', 'a=1;b=2;  c=3; flag')).toEqual({ cookie: `a=${REDACTED}; b=${REDACTED}; c=${REDACTED}; flag` });
    expect(header('cookie', 'a=')).toEqual({ cookie: `a=${REDACTED}` });
    expect(header('set-cookie', 'a_session=abc')).toEqual({ 'set-cookie': `a_session=${REDACTED}` });
    expect(header('set-cookie', 'a_session=abc; Path=/; HttpOnly')).toEqual({ 'set-cookie': `a_session=${REDACTED}; Path=/; HttpOnly` });
    expect(header('set-cookie', ['a=1; Secure', 'b=2'])).toEqual({ 'set-cookie': [`a=${REDACTED}; Secure`, `b=${REDACTED}`] });
    expect(header('set-cookie', 'novalue; Path=/')).toEqual({ 'set-cookie': 'novalue; Path=/' });
  });

  it('keeps the JSON shape of X-Fallback-Cookies and hides its values, and hides it whole when it is not a JSON object', () => {
    expect(header('x-fallback-cookies', '{"a_session_p":"s","n":1,"list":["x"]}')).toEqual({
      'x-fallback-cookies': `{"a_session_p":"${REDACTED}","n":"${REDACTED}","list":["${REDACTED}"]}`,
    });
    expect(header('x-fallback-cookies', '[]')).toEqual({ 'x-fallback-cookies': '[]' });
    for (const value of ['not json', '"a string"', '12', 'null', '{broken'])
      expect(header('x-fallback-cookies', value)).toEqual({ 'x-fallback-cookies': REDACTED });
  });

  it('hides secret query parameters in Location and Content-Location, and leaves other headers that hold URLs alone', () => {
    expect(header('location', '/ok?secret=abc&userId=u')).toEqual({ location: `/ok?secret=${REDACTED}&userId=u` });
    expect(header('content-location', '/ok?a=1&jwt=x#f')).toEqual({ 'content-location': `/ok?a=1&jwt=${REDACTED}#f` });
    expect(header('Location', ['/a?otp=1', '/b'])).toEqual({ Location: [`/a?otp=${REDACTED}`, '/b'] });
    expect(header('link', '/ok?secret=abc')).toEqual({ link: '/ok?secret=abc' });
  });

  it('adds header names given as rules, whole, in both directions', () => {
    const custom = new Redactor([parseRedactRule('X-Tenant-Token')]);
    expect(header('x-tenant-token', 't', custom)).toEqual({ 'x-tenant-token': REDACTED });
    expect(custom.response({ status: 200, headers: { 'X-Tenant-Token': 't', 'x-appwrite-key': 'k' }, body: null }).headers).toEqual({
      'X-Tenant-Token': REDACTED,
      'x-appwrite-key': REDACTED,
    });
    expect(header('x-tenant-token', 't')).toEqual({ 'x-tenant-token': 't' });
  });
});

describe('redaction of URLs', () => {
  it('hides each secret query parameter of a URL, first, later or alone, up to the next & or #', () => {
    expect(redactUrl('/v1/x?secret=abc')).toBe(`/v1/x?secret=${REDACTED}`);
    expect(redactUrl('/v1/x?a=1&password=p%20w&b=2#frag')).toBe(`/v1/x?a=1&password=${REDACTED}&b=2#frag`);
    expect(redactUrl('/v1/x?secret=&a=1')).toBe(`/v1/x?secret=${REDACTED}&a=1`);
    expect(redactUrl('/v1/x?mysecret=1&secretx=2&a=secret=3')).toBe('/v1/x?mysecret=1&secretx=2&a=secret=3');
    expect(redactUrl('/v1/x/secret=1')).toBe('/v1/x/secret=1');
    expect(redactUrl('/v1/x')).toBe('/v1/x');
  });

  it('compares names decoded: percent-escapes, + and brackets', () => {
    expect(redactUrl('/v1/x?%73ecret=abc&a=%41')).toBe(`/v1/x?%73ecret=${REDACTED}&a=%41`);
    expect(redactUrl('/v1/x?credentials%5BapiKey%5D=k&b=1')).toBe(`/v1/x?credentials%5BapiKey%5D=${REDACTED}&b=1`);
    expect(redactUrl('/v1/x?recoveryCodes%5B%5D=c')).toBe(`/v1/x?recoveryCodes%5B%5D=${REDACTED}`);
    expect(redactUrl('/v1/x?a+b=1&q=a+b')).toBe('/v1/x?a+b=1&q=a+b');
    expect(redactUrl('/v1/x?%zz=1&%73alt=2')).toBe(`/v1/x?%zz=1&%73alt=${REDACTED}`);
    expect(redactUrl('/v1/x?%75serId=u')).toBe('/v1/x?%75serId=u');
  });
});

describe('redaction of form bodies', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const form = (value: string, operationId?: string, headers: Headers = FORM): unknown =>
    redactor.matchable(request({ headers, body: { kind: 'text', value } }), operationId).body;

  it('hides secret fields by name, plain, bracketed or percent-encoded, keeping the rest of the text byte for byte', () => {
    expect(form('a=1&password=pw&b=%20x')).toEqual({ kind: 'text', value: 'a=1&password=%5Bredacted%5D&b=%20x' });
    expect(form('credentials%5BapiKey%5D=k&credentials[port]=1&name=n')).toEqual({
      kind: 'text',
      value: 'credentials%5BapiKey%5D=%5Bredacted%5D&credentials[port]=%5Bredacted%5D&name=n',
    });
    expect(form('pass%77ord=pw&recoveryCodes[]=c&x[secret]=s&x[y][otp]=1')).toEqual({
      kind: 'text',
      value: 'pass%77ord=%5Bredacted%5D&recoveryCodes[]=%5Bredacted%5D&x[secret]=%5Bredacted%5D&x[y][otp]=%5Bredacted%5D',
    });
    expect(form('password+=pw&%zz=1&[secret]=s')).toEqual({ kind: 'text', value: 'password+=pw&%zz=1&[secret]=s' });
  });

  it('leaves a form without secrets, or a field without =, as it is, and reads only form bodies as forms', () => {
    const body = { kind: 'text', value: 'a=1&password&otpx&=x&b=' } as const;
    const same = request({ headers: FORM, body });
    expect(redactor.matchable(same)).toBe(same);
    expect(form('password=pw', undefined, { 'content-type': 'text/plain' })).toEqual({ kind: 'text', value: 'password=pw' });
    expect(form('password=pw', undefined, {})).toEqual({ kind: 'text', value: 'password=pw' });
    expect(redactor.matchable({ query: {}, body: { kind: 'text', value: 'password=pw' } }).body).toEqual({ kind: 'text', value: 'password=pw' });
  });

  it("hides a function variable's top-level value in a form for the variable operations only", () => {
    expect(form('key=K&value=sk', 'functionsCreateVariable')).toEqual({ kind: 'text', value: 'key=K&value=%5Bredacted%5D' });
    expect(form('key=K&value=sk', 'functionsUpdateVariable')).toEqual({ kind: 'text', value: 'key=K&value=%5Bredacted%5D' });
    expect(form('key=K&value=sk&x[value]=v', 'functionsCreate')).toEqual({ kind: 'text', value: 'key=K&value=sk&x[value]=v' });
    expect(form('key=K&x[value]=v', 'functionsCreateVariable')).toEqual({ kind: 'text', value: 'key=K&x[value]=v' });
  });

  it('hides fields named by --redact paths too', () => {
    const custom = new Redactor(['$.data.ssn', '$.a.b.c'].map(parseRedactRule));
    expect(custom.matchable(request({ headers: FORM, body: { kind: 'text', value: 'data[ssn]=1&data[name]=n&a[b][c]=1&a[c]=2' } })).body).toEqual({
      kind: 'text',
      value: 'data[ssn]=%5Bredacted%5D&data[name]=n&a[b][c]=%5Bredacted%5D&a[c]=2',
    });
  });
});

describe('redaction of --redact paths', () => {
  const by = (rule: string, value: unknown): unknown => (new Redactor([parseRedactRule(rule)]).body(json(value)) as { value: unknown }).value;

  it('hides what a path names: a key, a key in a key, an item by index, every item, and at any depth', () => {
    expect(by('$.a', { a: { x: 'v', n: 1, b: true }, b: 'v' })).toEqual({ a: { x: REDACTED, n: REDACTED, b: true }, b: 'v' });
    expect(by('$.a.b', { a: { b: 'v', c: 'v' }, b: 'v' })).toEqual({ a: { b: REDACTED, c: 'v' }, b: 'v' });
    expect(by('$.l[1]', { l: ['a', 'b', 'c'] })).toEqual({ l: ['a', REDACTED, 'c'] });
    expect(by('$.l[0].k', { l: [{ k: 'a' }, { k: 'b' }] })).toEqual({ l: [{ k: REDACTED }, { k: 'b' }] });
    expect(by('$.l[*].k', { l: [{ k: 'a', j: 'x' }, { k: 'b' }, 'c'] })).toEqual({ l: [{ k: REDACTED, j: 'x' }, { k: REDACTED }, 'c'] });
    expect(by('$.*.k', { a: { k: 'a' }, b: { k: 'b', j: 'x' } })).toEqual({ a: { k: REDACTED }, b: { k: REDACTED, j: 'x' } });
    expect(by('$..pin', { pin: '1', a: { pin: 2, b: [{ pin: '3' }, [{ pin: '4' }]] }, k: 'pin' })).toEqual({
      pin: REDACTED,
      a: { pin: REDACTED, b: [{ pin: REDACTED }, [{ pin: REDACTED }]] },
      k: 'pin',
    });
    expect(by('$..card.number', { card: { number: '4', cvc: '1' }, l: [{ card: { number: '5' } }] })).toEqual({
      card: { number: REDACTED, cvc: '1' },
      l: [{ card: { number: REDACTED } }],
    });
  });

  it('leaves a body where the path names nothing as it was', () => {
    for (const [rule, value] of [
      ['$.a.b', { a: 'text', b: 'v' }],
      ['$.l[3]', { l: ['a'] }],
      ['$.l[1].k', { l: [{ k: 'a' }, { j: 'b' }] }],
      ['$.missing', { a: 'v' }],
      ['$..pin', { a: [{ b: 'pin' }] }],
      ['$.*', { a: '' }],
      ['$.a', 'text'],
    ] as const) {
      const body = json(value);
      expect(new Redactor([parseRedactRule(rule)]).body(body)).toBe(body);
    }
    // `[0]` names the key "0" of an object too.
    expect(by('$.l[0]', { l: { '0': 'zero' } })).toEqual({ l: { '0': REDACTED } });
  });

  it('applies paths to multipart fields and keeps a prototype-free object prototype-free', () => {
    const custom = new Redactor([parseRedactRule('$.pin')]);
    const fields = Object.assign(Object.create(null) as Record<string, string>, { pin: '1', name: 'n' });
    const out = custom.body({ kind: 'multipart', fields, files: [] }) as { fields: Record<string, string> };
    expect({ ...out.fields }).toEqual({ pin: REDACTED, name: 'n' });
    expect(Object.getPrototypeOf(out.fields)).toBeNull();
    const same: Body = { kind: 'multipart', fields: { name: 'n' }, files: [] };
    expect(custom.body(same)).toBe(same);
  });
});

describe('redaction of GraphQL bodies', () => {
  const DOCUMENT = 'mutation { accountCreate(userId: "u", password: "pw") { _id } }';
  const HIDDEN = `mutation {\n  accountCreate(userId: "u", password: "${REDACTED}") {\n    _id\n  }\n}`;

  it('hides inline secrets in the query of a JSON body and of each request of a batch, for the GraphQL operations only', () => {
    const body = json({ query: DOCUMENT, variables: { password: 'v' } });
    expect(redactor.matchable({ query: {}, body }, 'graphqlMutation').body).toEqual(json({ query: HIDDEN, variables: { password: REDACTED } }));
    expect(redactor.matchable({ query: {}, body: json([{ query: DOCUMENT }, { query: 1 }, null]) }, 'graphqlQuery').body).toEqual(
      json([{ query: HIDDEN }, { query: 1 }, null]),
    );
    expect(redactor.matchable({ query: {}, body: json({ query: DOCUMENT }) }, 'databasesCreateDocument').body).toEqual(json({ query: DOCUMENT }));
    const plain = json({ query: 'query { accountGet { _id } }' });
    expect(redactor.matchable({ query: {}, body: plain }, 'graphqlQuery').body).toBe(plain);
    const scalar = json('text');
    expect(redactor.matchable({ query: {}, body: scalar }, 'graphqlQuery').body).toBe(scalar);
    expect(redactor.matchable({ query: {}, body: null }, 'graphqlQuery').body).toBeNull();
  });

  it('hides inline secrets in the operations field of a multipart body, and leaves one that is not JSON', () => {
    const operations = JSON.stringify({ query: DOCUMENT, variables: { file: null, password: 'v' } });
    const out = redactor.matchable({ query: {}, body: { kind: 'multipart', fields: { operations, map: '{}' }, files: [] } }, 'graphqlMutation').body as {
      fields: Record<string, string>;
    };
    expect(out.fields.map).toBe('{}');
    expect(JSON.parse(out.fields.operations as string)).toEqual({ query: HIDDEN, variables: { file: null, password: REDACTED } });
    const others: Record<string, string | string[]>[] = [
      { operations: '{broken' },
      { operations: ['a'] },
      { map: '{}' },
      { operations: '{"query":"query { a }"}' },
    ];
    for (const fields of others) {
      const body: Body = { kind: 'multipart', fields, files: [] };
      expect(redactor.matchable({ query: {}, body }, 'graphqlMutation').body).toBe(body);
    }
  });

  it('hides inline secrets in a bare document, as text or bytes', () => {
    expect(redactor.matchable({ query: {}, body: { kind: 'text', value: DOCUMENT } }, 'graphqlMutation').body).toEqual({ kind: 'text', value: HIDDEN });
    expect(redactor.matchable({ query: {}, body: { kind: 'base64', value: Buffer.from(DOCUMENT).toString('base64') } }, 'graphqlQuery').body).toEqual({
      kind: 'text',
      value: HIDDEN,
    });
    const plain = { kind: 'text', value: 'query { accountGet { _id } }' } as const;
    expect(redactor.matchable({ query: {}, body: plain }, 'graphqlQuery').body).toBe(plain);
    expect(redactor.matchable({ query: {}, body: { kind: 'text', value: DOCUMENT } }).body).toEqual({ kind: 'text', value: DOCUMENT });
  });
});

describe('redaction of a whole exchange', () => {
  it('redacts the headers, query and body of a request and keeps its method and path', () => {
    const out = redactor.request(
      request({ method: 'PATCH', path: '/v1/p', query: { secret: 's' }, headers: { 'x-appwrite-key': 'k' }, body: json({ password: 'p' }) }),
    );
    expect(out).toEqual({
      method: 'PATCH',
      path: '/v1/p',
      query: { secret: REDACTED },
      headers: { 'x-appwrite-key': REDACTED },
      body: json({ password: REDACTED }),
    });
  });

  it('redacts the headers and body of an answer and keeps its status', () => {
    const out = redactor.response({ status: 201, headers: { 'set-cookie': 'a=1' }, body: json({ secret: 'ab' }) });
    expect(out).toEqual({ status: 201, headers: { 'set-cookie': `a=${REDACTED}` }, body: json({ secret: '[redacted:hex2]' }) });
    const empty = redactor.response({ status: 204, headers: {}, body: null });
    expect(empty).toEqual({ status: 204, headers: {}, body: null });
  });
});
