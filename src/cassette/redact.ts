import type { PathStep, RedactRule } from '../config/redact-rule.js';
import { mediaTypeOf } from '../model/body.js';
import type { Body, Headers, Query, VcrRequest, VcrResponse } from '../model/exchange.js';
import { parseJson } from '../model/parse-json.js';
import { shapedPlaceholder } from '../match/placeholder-shape.js';
import { redactGraphql } from './redact-graphql.js';

/** What every redacted value becomes. Fixed, so that replay can match a redacted request. */
export const REDACTED = '[redacted]';

/** Headers whose values are credentials. */
const SECRET_HEADERS = new Set([
  'x-appwrite-key',
  'x-appwrite-jwt',
  'x-appwrite-session',
  'authorization',
  'cookie',
  'set-cookie',
  'x-fallback-cookies',
  'x-vcr-admin-token',
]);

/**
 * Body fields (at any depth, both directions, also query and multipart fields) whose values are secrets.
 * @note Taken from the 1.5.0 spec: account and token secrets, passwords and password hash options,
 * JWTs, MFA recovery codes, OAuth provider tokens, and the credentials of messaging providers
 * (APNs `authKey`, FCM `serviceAccountJSON`, Mailgun/Sendgrid/Telesign/Textmagic `apiKey`,
 * Twilio `authToken`, Vonage `apiSecret`, SMTP `password`; `credentials` in provider answers).
 * `serverKey` and `authToken` cover providers of later versions. `otp`: the TOTP code of the MFA requests
 * (a new one every 30 s): redacted, it is also left out of matching, as both sides then hold the placeholder.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'password',
  'oldPassword',
  'secret',
  'jwt',
  'recoveryCodes',
  'credentials',
  'apiKey',
  'apiSecret',
  'authKey',
  'authToken',
  'serverKey',
  'serviceAccountJSON',
  'passwordSalt',
  'passwordSaltSeparator',
  'passwordSignerKey',
  'salt',
  'saltSeparator',
  'signerKey',
  'providerAccessToken',
  'providerRefreshToken',
  'otp',
]);

/**
 * Operations whose request body carries a secret under a generic name: a function variable's `value`
 * is where functions keep their API keys and tokens. In answers, a variable is known by its shape
 * (`$id`, `key`, `value`, `resourceType`), wherever it is (variable routes, a function's `vars`).
 */
const VALUE_SECRET_OPERATIONS: ReadonlySet<string> = new Set(['functionsCreateVariable', 'functionsUpdateVariable']);
const TOP_VALUE: readonly PathStep[] = [{ key: 'value' }];

/** Operations whose body holds GraphQL documents (`query`), where arguments can carry secrets inline. */
const GRAPHQL_OPERATIONS: ReadonlySet<string> = new Set(['graphqlQuery', 'graphqlMutation']);

function isVariable(record: Record<string, unknown>): boolean {
  return typeof record.value === 'string' && typeof record.key === 'string' && typeof record.resourceType === 'string' && '$id' in record;
}

/** `otpauth://` URIs (MFA authenticator answers) carry the TOTP secret in their query. */
const OTPAUTH = /^otpauth:\/\//i;
const URL_SECRET = new RegExp(`([?&](?:${[...SECRET_FIELDS].join('|')})=)[^&#]*`, 'g');

/**
 * A URL with the values of secret query parameters replaced (for logs and `Location` headers). Names are
 * compared decoded too: `?%73ecret=` is `secret` to the server that reads it.
 */
export function redactUrl(url: string): string {
  const plain = url.replace(URL_SECRET, `$1${REDACTED}`);
  if (!plain.includes('%') && !plain.includes('+')) return plain;
  return plain.replace(/([?&])([^=&#]*)=([^&#]*)/g, (pair, sep: string, name: string) => {
    const path = formFieldPath(name);
    return path.some((key) => SECRET_FIELDS.has(key)) ? `${sep}${name}=${REDACTED}` : pair;
  });
}

/**
 * Replaces secrets by `REDACTED` before anything is written. Empty strings stay empty (they carry no secret,
 * and Appwrite answers `secret: ""` where it withholds one); booleans and null stay too. Values are copied only where something changes.
 */
export class Redactor {
  readonly #headers: ReadonlySet<string>;
  readonly #paths: readonly PathStep[][];

  constructor(rules: readonly RedactRule[] = []) {
    this.#headers = new Set([...SECRET_HEADERS, ...rules.flatMap((r) => (r.kind === 'header' ? [r.name] : []))]);
    this.#paths = rules.flatMap((r) => (r.kind === 'json' ? [r.path] : []));
  }

  /** `operationId` adds what that operation carries under a generic name (see VALUE_SECRET_OPERATIONS). */
  request(request: VcrRequest, operationId?: string): VcrRequest {
    return { ...this.matchable(request, operationId), headers: this.headers(request.headers) };
  }

  /** Secrets an app reads back (`secret`, `jwt`) keep their shape in the placeholder (see placeholder-shape.ts). */
  response(response: VcrResponse): VcrResponse {
    return { status: response.status, headers: this.headers(response.headers), body: this.body(response.body, true) };
  }

  /** The parts that decide matching (query and body), redacted the way a recording was. */
  matchable<T extends { query: Query; body: Body | null; headers?: Headers }>(request: T, operationId?: string): T {
    const query = this.#value(request.query) as Query;
    let body = this.body(request.body);
    if (body?.kind === 'text' && request.headers && mediaTypeOf(request.headers['content-type']) === FORM) {
      const value = this.#form(body.value, operationId !== undefined && VALUE_SECRET_OPERATIONS.has(operationId));
      if (value !== body.value) body = { kind: 'text', value };
    }
    if (body?.kind === 'json' && operationId !== undefined && VALUE_SECRET_OPERATIONS.has(operationId)) {
      const value = redactPath(body.value, TOP_VALUE, 0);
      if (value !== body.value) body = { kind: 'json', value };
    }
    if (body !== null && operationId !== undefined && GRAPHQL_OPERATIONS.has(operationId)) body = this.#graphql(body);
    return query === request.query && body === request.body ? request : { ...request, query, body };
  }

  body(body: Body | null, shaped = false): Body | null {
    if (body === null) return null;
    if (body.kind === 'text') {
      const value = redactText(body.value, 0);
      return value === body.value ? body : { kind: 'text', value };
    }
    if (body.kind === 'base64') {
      // Only bytes that start as JSON does are decoded whole: uploads are large, and nearly none is JSON.
      const start = Buffer.from(body.value.slice(0, 4), 'base64');
      if (start.length === 0 || !startsJson(start[0] as number)) return body;
      const text = Buffer.from(body.value, 'base64').toString('utf8');
      const value = redactText(text, 0);
      return value === text ? body : { kind: 'base64', value: Buffer.from(value).toString('base64') };
    }
    if (body.kind === 'json') {
      const value = this.#value(body.value, shaped);
      return value === body.value ? body : { kind: 'json', value };
    }
    if (body.kind === 'multipart') {
      const fields = this.#value(body.fields) as Record<string, string | string[]>;
      return fields === body.fields ? body : { ...body, fields };
    }
    return body;
  }

  /**
   * GraphQL bodies as Appwrite reads them: JSON `{query, variables}` or a batch of them, the
   * `operations` field of a multipart upload, or the bare document (`application/graphql`).
   */
  #graphql(body: Body): Body {
    switch (body.kind) {
      case 'json': {
        const value = redactGraphqlQueries(body.value);
        return value === body.value ? body : { kind: 'json', value };
      }
      case 'multipart': {
        const operations = body.fields.operations;
        if (typeof operations !== 'string') return body;
        let parsed: unknown;
        try {
          parsed = JSON.parse(operations);
        } catch {
          return body;
        }
        const value = redactGraphqlQueries(this.#value(parsed));
        return value === parsed
          ? body
          : { ...body, fields: Object.assign(copyRecord(body.fields), { operations: JSON.stringify(value) }) as Record<string, string | string[]> };
      }
      case 'text':
      case 'base64': {
        const text = body.kind === 'text' ? body.value : Buffer.from(body.value, 'base64').toString('utf8');
        const redacted = redactGraphql(text, isSecretField, REDACTED);
        return redacted === text ? body : { kind: 'text', value: redacted };
      }
    }
  }

  /**
   * A form body (`a=1&password=x&credentials[apiKey]=y`) with the values of secret fields replaced, by
   * the same rules as JSON: each field is looked at as the JSON it stands for (`{credentials: {apiKey}}`).
   * The rest of the text is kept byte for byte.
   */
  #form(text: string, valueIsSecret: boolean): string {
    let changed = false;
    const pairs = text.split('&').map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const path = formFieldPath(pair.slice(0, eq));
      if (path.length === 0) return pair;
      const probe: Record<string, unknown> = {};
      let node = probe;
      for (const key of path.slice(0, -1)) node = node[key] = {} as Record<string, unknown>;
      node[path[path.length - 1] as string] = 'x';
      if (!(valueIsSecret && path.length === 1 && path[0] === 'value') && this.#value(probe) === probe) return pair;
      changed = true;
      return `${pair.slice(0, eq)}=${encodeURIComponent(REDACTED)}`;
    });
    return changed ? pairs.join('&') : text;
  }

  headers(headers: Headers): Headers {
    let out: Headers | null = null;
    for (const [name, value] of Object.entries(headers)) {
      const redacted = this.#header(name.toLowerCase(), value);
      if (redacted !== value) (out ??= { ...headers })[name] = redacted;
    }
    return out ?? headers;
  }

  #header(name: string, value: string | string[]): string | string[] {
    if (Array.isArray(value)) {
      const list = value.map((v) => this.#header(name, v) as string);
      return list.every((v, i) => v === value[i]) ? value : list;
    }
    if (name === 'location' || name === 'content-location') return redactUrl(value);
    if (!this.#headers.has(name) || value === '') return value;
    switch (name) {
      case 'authorization': {
        const space = value.indexOf(' ');
        return space === -1 ? REDACTED : `${value.slice(0, space)} ${REDACTED}`;
      }
      case 'cookie':
        return value
          .split(';')
          .map((pair) => redactCookie(pair.trim()))
          .join('; ');
      case 'set-cookie': {
        const semi = value.indexOf(';');
        return semi === -1 ? redactCookie(value) : `${redactCookie(value.slice(0, semi))}${value.slice(semi)}`;
      }
      case 'x-fallback-cookies':
        try {
          const parsed = JSON.parse(value) as unknown;
          if (parsed !== null && typeof parsed === 'object') return JSON.stringify(mapStrings(parsed, hide));
        } catch {
          // not JSON: the whole value goes
        }
        return REDACTED;
      default:
        return REDACTED;
    }
  }

  #value(value: unknown, shaped = false): unknown {
    let out = redactFields(value, shaped);
    for (const path of this.#paths) out = redactPath(out, path, 0);
    return out;
  }
}

const FORM = 'application/x-www-form-urlencoded';

/** A form field's name as the keys it stands for: `credentials[apiKey]` is `credentials`, `apiKey`. */
function formFieldPath(encoded: string): string[] {
  let name: string;
  try {
    name = decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    name = encoded;
  }
  const open = name.indexOf('[');
  if (open <= 0) return name === '' ? [] : [name];
  const keys = [name.slice(0, open)];
  for (const match of name.slice(open).matchAll(/\[([^\]]*)\]/g)) keys.push(match[1] === '' ? '0' : (match[1] as string));
  return keys;
}

function isSecretField(name: string): boolean {
  return SECRET_FIELDS.has(name);
}

/** The `query` document of a GraphQL request, or of each request of a batch, redacted. */
function redactGraphqlQueries(value: unknown): unknown {
  if (Array.isArray(value)) return mapArray(value, redactGraphqlQueries);
  if (value === null || typeof value !== 'object') return value;
  const query = (value as Record<string, unknown>).query;
  return typeof query === 'string' ? replaceChild(value, 'query', redactGraphql(query, isSecretField, REDACTED)) : value;
}

function redactCookie(pair: string): string {
  const eq = pair.indexOf('=');
  return eq === -1 ? pair : `${pair.slice(0, eq)}=${REDACTED}`;
}

/**
 * Every field named in SECRET_FIELDS, at any depth, and every `otpauth://` URI; also inside a string that
 * holds JSON (`depth` counts such strings within strings).
 */
function redactFields(value: unknown, shaped = false, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, depth);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return mapArray(value, (child) => redactFields(child, shaped, depth));
  let out: Record<string, unknown> | null = null;
  const record = value as Record<string, unknown>;
  const variable = isVariable(record);
  for (const key of Object.keys(record)) {
    const child = record[key];
    const hideHere = shaped ? (leaf: string | number) => (typeof leaf === 'string' && leaf !== '' && shapedPlaceholder(key, leaf)) || hide(leaf) : hide;
    const next = SECRET_FIELDS.has(key) || (variable && key === 'value') ? mapStrings(child, hideHere) : redactFields(child, shaped, depth);
    if (next !== child) (out ??= copyRecord(value))[key] = next;
  }
  return out ?? value;
}

/**
 * Strings within strings holding JSON are redacted this deep; a deeper one, which no app sends, goes whole
 * (each level can nest 512 deep: the limit keeps the walk within the call stack).
 */
const JSON_TEXT_DEPTH = 4;

/**
 * A string as stored: an `otpauth://` URI goes whole; one that holds a JSON object or list (a document's
 * `data` sent as text, an execution's body, a JSON body sent as text) is redacted as that JSON, and written
 * back compactly only when something in it was hidden.
 */
function redactText(text: string, depth: number): string {
  const first = text.charCodeAt(0);
  // The first character is checked before anything else: nearly every string is neither.
  if ((first | 0x20) === 0x6f /* o */) return OTPAUTH.test(text) ? REDACTED : text;
  if (!startsJson(first)) return text;
  let parsed: unknown;
  try {
    parsed = parseJson(text);
  } catch {
    return text;
  }
  if (parsed === null || typeof parsed !== 'object') return text;
  if (depth >= JSON_TEXT_DEPTH) return REDACTED;
  const redacted = redactFields(parsed, false, depth + 1);
  return redacted === parsed ? text : JSON.stringify(redacted);
}

/** `{`, `[` or JSON's white space: what a JSON object or list can start with. */
function startsJson(code: number): boolean {
  return code === 0x7b || code === 0x5b || code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function redactPath(value: unknown, path: readonly PathStep[], at: number): unknown {
  const step = path[at];
  if (step === undefined) return mapStrings(value, hide);
  if (value === null || typeof value !== 'object') return value;
  if ('deep' in step) {
    // `..name`: the field wherever it is, then the rest of the path below it.
    const here = Array.isArray(value)
      ? value
      : Object.hasOwn(value, step.deep)
        ? replaceChild(value, step.deep, redactPath((value as Record<string, unknown>)[step.deep], path, at + 1))
        : value;
    return mapChildren(here, (child) => redactPath(child, path, at));
  }
  if ('any' in step) return mapChildren(value, (child) => redactPath(child, path, at + 1));
  if (Array.isArray(value)) {
    const index = Number(step.key);
    if (!Number.isInteger(index) || index >= value.length) return value;
    const next = redactPath(value[index], path, at + 1);
    if (next === value[index]) return value;
    const copy = [...value];
    copy[index] = next;
    return copy;
  }
  if (!Object.hasOwn(value, step.key)) return value;
  return replaceChild(value, step.key, redactPath((value as Record<string, unknown>)[step.key], path, at + 1));
}

/** Non-empty strings and numbers (a PIN, a port of a provider's credentials) become the placeholder. */
function hide(leaf: string | number): string | number {
  return leaf === '' ? leaf : REDACTED;
}

function mapStrings(value: unknown, fn: (leaf: string | number) => string | number): unknown {
  if (typeof value === 'string' || typeof value === 'number') return fn(value);
  if (value === null || typeof value !== 'object') return value;
  return mapChildren(value, (child) => mapStrings(child, fn));
}

function mapChildren(value: object, fn: (child: unknown) => unknown): unknown {
  if (Array.isArray(value)) return mapArray(value, fn);
  let out: Record<string, unknown> | null = null;
  for (const [key, child] of Object.entries(value)) {
    const next = fn(child);
    if (next !== child) (out ??= copyRecord(value))[key] = next;
  }
  return out ?? value;
}

function mapArray(value: readonly unknown[], fn: (child: unknown) => unknown): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < value.length; i++) {
    const child = value[i];
    const next = fn(child);
    if (next !== child) (out ??= [...value])[i] = next;
  }
  return out ?? (value as unknown[]);
}

function replaceChild(value: object, key: string, next: unknown): object {
  if ((value as Record<string, unknown>)[key] === next) return value;
  return Object.assign(copyRecord(value), { [key]: next });
}

/** A plain copy; `Object.create(null)` records (parsed queries) stay prototype-free. */
function copyRecord(value: object): Record<string, unknown> {
  return Object.assign(Object.getPrototypeOf(value) === null ? Object.create(null) : {}, value) as Record<string, unknown>;
}
