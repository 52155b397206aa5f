/** A small seeded generator (mulberry32): the same seed gives the same requests on every machine. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }
}

/** What the answer to a hostile request must be, beyond "a well-formed answer". */
export type Expectation =
  | { kind: 'any' }
  /** This exact status (413 too large, 408 too slow, 431 headers too large). */
  | { kind: 'status'; status: number };

export interface HostileRequest {
  /** The generator that made it, for reports. */
  label: string;
  method: string;
  /** Bytes written at once. */
  head: Buffer;
  /** `slow`: the rest of the body is dripped a byte at a time, never finished; `stream`: chunks are sent until the server answers. */
  mode: 'whole' | 'slow' | 'stream';
  /** For `stream`: the body the client would send if nobody stopped it; far more than socket buffers hold. */
  streamTotal?: number;
  expect: Expectation;
}

export interface Route {
  method: string;
  /** Path template under the base path, e.g. `/users/{userId}`. */
  path: string;
}

export interface GeneratorOptions {
  routes: readonly Route[];
  /** The server's `maxBodyBytes`. */
  maxBodyBytes: number;
}

const NASTY_STRINGS = [
  '',
  'a',
  'ada',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '%0d%0aX-Injected:%201',
  '__proto__',
  'constructor',
  'prototype',
  '%ff%fe%c0%80',
  'ü漢字🙂',
  '${jndi:ldap://127.0.0.1/x}',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '1e400',
  '-1e400',
  '99999999999999999999999',
  '-0',
  'NaN',
  'Infinity',
  '0x1f',
  'unique()',
  'a'.repeat(37),
  'x'.repeat(5000),
];

const NASTY_NUMBERS = [0, -1, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 2 ** 64, 1.5, Number.MIN_VALUE];
/** Number literals that JSON allows and JavaScript cannot hold: they parse as ±Infinity or 0. */
const NASTY_NUMBER_TEXT = ['1e400', '-1e400', '1e-400', '123456789012345678901234567890', '-0.0e-0'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];
const CASSETTE_NAMES = ['default', 'ok/name', '../escape', '/etc/passwd', 'a/../../b', 'x'.repeat(300), 'con', '.hidden', 'a//b', '-flag', '%2e%2e/x', 'ü'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'get', 'PROPFIND', 'BREW', 'X'.repeat(40)];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'multipart/form-data',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'application/vnd.api+json',
  '',
  'garbage',
];
const KEY_HEADERS = 'x-appwrite-project: fuzz\r\nx-appwrite-key: fuzz-key\r\n';

/** Makes `count` hostile requests from `seed`; the same inputs always give the same list. */
export function* hostileRequests(seed: number, count: number, options: GeneratorOptions): Generator<HostileRequest> {
  const random = new Random(seed);
  const makers: [weight: number, make: (r: Random, o: GeneratorOptions) => HostileRequest][] = [
    [30, routedRequest],
    [8, protoPayload],
    [6, deepJson],
    [6, outOfRangeNumbers],
    [8, brokenMultipart],
    [6, invalidUtf8],
    [6, headerInjection],
    [4, hugeHeaders],
    [6, brokenFraming],
    [5, rawGarbage],
    [6, hostileCassette],
    [2, adminRoute],
    [2, oversizeDeclared],
    [0.3, oversizeStreamed],
    [0.4, slowBody],
  ];
  const total = makers.reduce((sum, [weight]) => sum + weight, 0);
  for (let i = 0; i < count; i++) {
    let roll = random.next() * total;
    let made: HostileRequest | null = null;
    for (const [weight, make] of makers) {
      roll -= weight;
      if (roll < 0) {
        made = make(random, options);
        break;
      }
    }
    yield made ?? routedRequest(random, options);
  }
}

function request(
  label: string,
  method: string,
  target: string,
  headers: string,
  body: Buffer | string = '',
  extra: Partial<HostileRequest> = {},
): HostileRequest {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const length =
    headers.toLowerCase().includes('content-length:') || headers.toLowerCase().includes('transfer-encoding:') ? '' : `content-length: ${bytes.length}\r\n`;
  const head = Buffer.concat([Buffer.from(`${method} ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\n${headers}${length}\r\n`, 'latin1'), bytes]);
  return { label, method: method.toUpperCase(), head, mode: 'whole', expect: { kind: 'any' }, ...extra };
}

/** A real route's path with its parameters replaced by hostile strings. */
function hostilePath(r: Random, route: Route): string {
  const path = route.path.replace(/\{[^}]+\}/g, () => (r.chance(0.5) ? 'ok-id' : encodeLoosely(r, r.pick(NASTY_STRINGS))));
  return `/v1${path}`;
}

/** Percent-encodes most of the time; sometimes sends the characters as they are. */
function encodeLoosely(r: Random, text: string): string {
  if (text.includes('%') && r.chance(0.5)) return text;
  return r.chance(0.8) ? encodeURIComponent(text) : text.replace(/[\s\u0000-\u001f]/g, '');
}

function hostileQuery(r: Random): string {
  const parts: string[] = [];
  const n = r.int(4);
  for (let i = 0; i < n; i++) {
    const name = r.pick([
      'queries[]',
      'queries[0]',
      'search',
      'limit',
      'width',
      'name',
      '__proto__[polluted]',
      'constructor[prototype][polluted]',
      'a[b][c]',
      'queries[99999999999]',
      '',
    ]);
    const value = r.chance(0.5) ? r.pick(NASTY_STRINGS) : appwriteQuery(r);
    parts.push(`${encodeLoosely(r, name)}=${encodeLoosely(r, value)}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function appwriteQuery(r: Random): string {
  const method = r.pick(['equal', 'limit', 'offset', 'cursorAfter', 'orderAsc', 'select', 'search', 'between', '__proto__', 'nope']);
  const values = r.pick<unknown[]>([[1], ['a'], [1e308], [-1], [2 ** 64], [JSON.parse('{"__proto__":{"polluted":true}}')], [], [null], [[[[1]]]]]);
  return r.chance(0.2)
    ? `{"method":"${method}","values":[${r.pick(NASTY_NUMBER_TEXT)}]}`
    : JSON.stringify({ method, attribute: r.pick(['name', '$id', '__proto__', '']), values });
}

function randomHeaders(r: Random): string {
  let headers = r.chance(0.8) ? KEY_HEADERS : '';
  if (r.chance(0.2)) headers += `x-appwrite-session: ${r.pick(['', 'abc', 'a'.repeat(500)])}\r\n`;
  if (r.chance(0.1))
    headers += `x-appwrite-jwt: ${r.pick(['e30.e30.', 'not.a.jwt', '..', 'eyJ1c2VySWQiOiJfX3Byb3RvX18ifQ.eyJfX3Byb3RvX18iOnsicG9sbHV0ZWQiOnRydWV9fQ.x'])}\r\n`;
  if (r.chance(0.05)) headers += 'expect: 100-continue\r\n';
  return headers;
}

function randomJson(r: Random, depth = 0): unknown {
  const roll = r.int(depth > 4 ? 5 : 8);
  switch (roll) {
    case 0:
      return r.pick(NASTY_STRINGS);
    case 1:
      return r.pick(NASTY_NUMBERS);
    case 2:
      return r.chance(0.5);
    case 3:
      return null;
    case 4:
      return r.int(1000);
    case 5:
      return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      const n = r.int(5);
      for (let i = 0; i < n; i++)
        out[
          r.chance(0.3)
            ? r.pick(PROTO_KEYS)
            : r.pick(['userId', 'name', 'email', 'password', 'data', 'permissions', 'documentId', 'databaseId', 'key', 'x', '$id', ''])
        ] = randomJson(r, depth + 1);
      return out;
    }
  }
}

function routedRequest(r: Random, o: GeneratorOptions): HostileRequest {
  const route = r.pick(o.routes);
  const method = r.chance(0.85) ? route.method : r.pick(METHODS);
  const contentType = r.pick(CONTENT_TYPES);
  const body = method === 'GET' || method === 'HEAD' || r.chance(0.2) ? '' : JSON.stringify(randomJson(r));
  const headers = `${randomHeaders(r)}${contentType ? `content-type: ${contentType}\r\n` : ''}`;
  return request('routed', method, `${hostilePath(r, route)}${hostileQuery(r)}`, headers, body);
}

function protoPayload(r: Random, o: GeneratorOptions): HostileRequest {
  const route = r.pick(o.routes.filter((x) => x.method !== 'GET'));
  const payload = r.pick([
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"userId":"proto","name":"p","__proto__":{"polluted":true,"password":"injected"}}',
    '{"documentId":"d","data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}',
    '{"data":"{\\"__proto__\\":{\\"polluted\\":true}}","documentId":"d2"}',
    '{"prefs":{"__proto__":{"polluted":true}}}',
    '[{"__proto__":{"polluted":true}}]',
  ]);
  const path = hostilePath(r, route).replace(/\?.*$/, '');
  const query = r.chance(0.3) ? '?__proto__[polluted]=1&constructor[prototype][polluted]=1' : '';
  return request('proto', route.method, `${path}${query}`, `${KEY_HEADERS}content-type: application/json\r\n`, payload);
}

function deepJson(r: Random, o: GeneratorOptions): HostileRequest {
  const depth = r.pick([600, 10_000]);
  const inner = r.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const route = r.pick(o.routes.filter((x) => x.method !== 'GET'));
  const body = r.pick([inner, `{"userId":"deep","name":${inner}}`, `{"documentId":"deep","data":${inner}}`]);
  const asQuery = r.chance(0.2)
    ? `?queries[0]=${encodeURIComponent(`{"method":"equal","attribute":"a","values":${'['.repeat(2000)}${']'.repeat(2000)}}`)}`
    : '';
  return request('deep-json', route.method, `${hostilePath(r, route)}${asQuery}`, `${KEY_HEADERS}content-type: application/json\r\n`, body);
}

function outOfRangeNumbers(r: Random, o: GeneratorOptions): HostileRequest {
  const route = r.pick(o.routes);
  const n = r.pick(NASTY_NUMBER_TEXT);
  const body = route.method === 'GET' ? '' : `{"userId":"n1","limit":${n},"size":${n},"width":${n},"min":${n},"max":${n},"default":${n},"total":${n}}`;
  const query = `?width=${encodeURIComponent(n)}&height=${encodeURIComponent(n)}&quality=${encodeURIComponent(n)}&limit=${encodeURIComponent(n)}`;
  return request('numbers', route.method, `${hostilePath(r, route)}${query}`, `${KEY_HEADERS}content-type: application/json\r\n`, body);
}

function brokenMultipart(r: Random): HostileRequest {
  const boundary = r.pick(['b', 'x'.repeat(200), '', '"quoted"', 'a b', '----WebKitFormBoundary']);
  const declared = r.pick([
    `multipart/form-data; boundary=${boundary}`,
    'multipart/form-data',
    'multipart/form-data; boundary=',
    `multipart/form-data; boundary=other`,
    'multipart/mixed; boundary=b',
  ]);
  const part = (name: string, value: string, file = false): string =>
    `--${boundary}\r\ncontent-disposition: form-data; name="${name}"${file ? '; filename="f.txt"\r\ncontent-type: text/plain' : ''}\r\n\r\n${value}\r\n`;
  const body = r.pick([
    `${part('fileId', 'ok')}${part('file', 'hello', true)}--${boundary}--\r\n`,
    `${part('fileId', 'ok')}${part('file', 'hello', true)}`,
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="f"\r\n\r\nno end`,
    `${part('__proto__[polluted]', 'true')}${part('constructor', '{}')}${part('permissions[]', 'read("any")')}--${boundary}--\r\n`,
    `${part('data', '{"__proto__":{"polluted":true}}')}--${boundary}--\r\n`,
    `--${boundary}\r\n\r\n\r\n--${boundary}--`,
    'garbage with no boundary at all',
    `--${boundary}--\r\n`,
    `${part('x', 'y'.repeat(1000))}`.repeat(50),
  ]);
  return request('multipart', 'POST', `/v1/storage/buckets/${r.pick(['b', '__proto__', '..'])}/files`, `${KEY_HEADERS}content-type: ${declared}\r\n`, body);
}

function invalidUtf8(r: Random, o: GeneratorOptions): HostileRequest {
  const route = r.pick(o.routes.filter((x) => x.method !== 'GET'));
  const bad = r.pick([
    Buffer.from([0xff, 0xfe]),
    Buffer.from([0xc0, 0x80]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]),
    r.bytes(16),
  ]);
  const body = Buffer.concat([Buffer.from('{"userId":"u8","name":"'), bad, Buffer.from('"}')]);
  // Raw bytes above 0x7f in the request target and in a header value, as well as in the body.
  const target = Buffer.concat([Buffer.from(`${hostilePath(r, route)}?name=`), bad]).toString('latin1');
  const headers = `${KEY_HEADERS}content-type: ${r.pick(['application/json', 'text/plain; charset=utf-8'])}\r\nx-vcr-cassette: ${bad.toString('latin1')}\r\n`;
  return request(
    'utf8',
    route.method,
    r.chance(0.5) ? target : hostilePath(r, route),
    r.chance(0.5) ? headers : `${KEY_HEADERS}content-type: application/json\r\n`,
    body,
  );
}

function headerInjection(r: Random, o: GeneratorOptions): HostileRequest {
  const route = r.pick(o.routes);
  const value = r.pick([
    'ok\r\nX-Injected: 1',
    'ok\rX-Injected: 1',
    'ok\nX-Injected: 1',
    'ok\u0000X-Injected',
    'ok\r\n\r\nGET /v1/health HTTP/1.1',
    ' leading-space',
    'tab\there',
  ]);
  const name = r.pick(['x-vcr-cassette', 'x-appwrite-project', 'content-type', 'x-sdk-version', 'x-appwrite-response-format', 'x-fallback-cookies']);
  // Reflected values: an ID or a redirect URL with an encoded line break that could become a header.
  const reflected = r.pick([
    '/v1/storage/buckets/b/files/a%0d%0aX-Injected:%201/preview',
    '/v1/storage/buckets/b/files/a%0d%0aX-Injected:%201/download',
    `/v1/account/sessions/oauth2/github?success=${encodeURIComponent('https://127.0.0.1/\r\nX-Injected: 1')}`,
    `/v1/account/tokens/oauth2/github?failure=${encodeURIComponent('https://127.0.0.1/%0d%0aX-Injected:%201')}`,
    `/v1/avatars/image?url=${encodeURIComponent('https://127.0.0.1/\r\nX-Injected: 1')}`,
    hostilePath(r, route),
  ]);
  return request('injection', r.chance(0.5) ? 'GET' : route.method, reflected, `${KEY_HEADERS}${name}: ${value}\r\n`);
}

function hugeHeaders(r: Random): HostileRequest {
  const roll = r.int(3);
  if (roll === 0)
    return request('huge-header', 'GET', '/v1/health', `${KEY_HEADERS}x-big: ${'a'.repeat(70_000)}\r\n`, '', { expect: { kind: 'status', status: 431 } });
  if (roll === 1) {
    const many = Array.from({ length: 3_000 }, (_, i) => `x-h${i}: ${'v'.repeat(20)}\r\n`).join('');
    return request('huge-header', 'GET', '/v1/health', `${KEY_HEADERS}${many}`, '', { expect: { kind: 'status', status: 431 } });
  }
  // Just under the limit: a normal answer.
  return request('large-header', 'GET', '/v1/health', `${KEY_HEADERS}x-big: ${'a'.repeat(50_000)}\r\n`);
}

function brokenFraming(r: Random): HostileRequest {
  const body = '{"userId":"f","name":"f"}';
  const variants: [string, string][] = [
    ['content-length: -1\r\n', body],
    ['content-length: abc\r\n', body],
    ['content-length: 5\r\ncontent-length: 7\r\n', body],
    [`content-length: ${body.length}\r\ntransfer-encoding: chunked\r\n`, `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
    ['transfer-encoding: chunked\r\n', 'zz\r\nnot hex\r\n0\r\n\r\n'],
    ['transfer-encoding: chunked\r\n', `ffffffffffffffffff\r\n${body}\r\n0\r\n\r\n`],
    ['transfer-encoding: gzip, chunked\r\n', `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
    ['transfer-encoding: chunked\r\n', `${body.length.toString(16)};ext=1\r\n${body}\r\n0\r\nx-trailer: 1\r\n\r\n`],
  ];
  const [framing, payload] = r.pick(variants);
  const line = r.pick([
    'POST /v1/users HTTP/1.1',
    'POST /v1/users HTTP/1.0',
    'POST /v1/users HTTP/2.0',
    'POST /v1/users HTTP/1.1 extra',
    'POST http://evil.example/v1/users HTTP/1.1',
    'POST  /v1/users HTTP/1.1',
    'POST /v1/users',
  ]);
  const head = Buffer.from(`${line}\r\nhost: 127.0.0.1\r\n${KEY_HEADERS}content-type: application/json\r\n${framing}\r\n${payload}`, 'latin1');
  return { label: 'framing', method: 'POST', head, mode: 'whole', expect: { kind: 'any' } };
}

function rawGarbage(r: Random): HostileRequest {
  const head = r.pick([
    () => Buffer.concat([r.bytes(1 + r.int(200)), Buffer.from('\r\n\r\n')]),
    () => Buffer.from('GET\r\n\r\n'),
    () => Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
    () => Buffer.from('CONNECT 127.0.0.1:443 HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'),
    () => Buffer.from('OPTIONS * HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'),
    () => Buffer.from('GET /v1/health\u0000 HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n', 'latin1'),
    () => Buffer.from('GET /v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\nGET /v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'),
    () => Buffer.from('\r\n\r\nGET /v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'),
    () => Buffer.from('GET /v1/health HTTP/1.1\r\nno-colon-header\r\n\r\n'),
    () => Buffer.from('GET /v1/health HTTP/1.1\r\n: empty-name\r\n\r\n'),
  ])();
  return { label: 'garbage', method: 'GET', head, mode: 'whole', expect: { kind: 'any' } };
}

function hostileCassette(r: Random, o: GeneratorOptions): HostileRequest {
  const name = r.pick(CASSETTE_NAMES);
  const route = r.pick(o.routes.filter((x) => x.method === 'GET'));
  return request('cassette-name', 'GET', hostilePath(r, route), `${KEY_HEADERS}x-vcr-cassette: ${name}\r\n`);
}

function adminRoute(r: Random): HostileRequest {
  const target = r.pick(['/__vcr/reset', '/__vcr/reset?x=1', '/__vcr/', '/__vcr/../v1/health', '/__vcr/nothing']);
  const token = r.chance(0.5) ? `x-vcr-admin-token: ${r.pick(['', 'wrong', 'a'.repeat(1000)])}\r\n` : '';
  return request('admin', r.pick(['GET', 'POST', 'DELETE']), target, `${KEY_HEADERS}${token}`);
}

function oversizeDeclared(r: Random, o: GeneratorOptions): HostileRequest {
  // Only the head is sent: the 413 must come before any of the body.
  const size = o.maxBodyBytes + 1 + r.int(10 * o.maxBodyBytes);
  const head = Buffer.from(`POST /v1/users HTTP/1.1\r\nhost: 127.0.0.1\r\n${KEY_HEADERS}content-type: application/json\r\ncontent-length: ${size}\r\n\r\n`);
  return { label: 'oversize-declared', method: 'POST', head, mode: 'whole', expect: { kind: 'status', status: 413 } };
}

function oversizeStreamed(_r: Random, o: GeneratorOptions): HostileRequest {
  const head = Buffer.from(
    `POST /v1/storage/buckets/b/files HTTP/1.1\r\nhost: 127.0.0.1\r\n${KEY_HEADERS}content-type: multipart/form-data; boundary=b\r\ntransfer-encoding: chunked\r\n\r\n`,
  );
  return { label: 'oversize-streamed', method: 'POST', head, mode: 'stream', streamTotal: 4096 * o.maxBodyBytes, expect: { kind: 'status', status: 413 } };
}

function slowBody(r: Random): HostileRequest {
  const body = '{"userId":"slow","name":"slow"}';
  const head = Buffer.from(
    `POST /v1/users HTTP/1.1\r\nhost: 127.0.0.1\r\n${KEY_HEADERS}content-type: application/json\r\ncontent-length: ${body.length + 1000}\r\n\r\n${body.slice(0, r.int(body.length))}`,
  );
  return { label: 'slow', method: 'POST', head, mode: 'slow', expect: { kind: 'status', status: 408 } };
}
