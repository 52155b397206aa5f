import type { Body } from '../model/exchange.js';
import { canonicalJson } from './canonical-json.js';
import type { MatchableRequest } from './request-key.js';

/** One place where a request and a recording differ; values as both sides hold them, redacted. */
export interface Difference {
  /** `method`, `path`, `query NAME`, `body $.a.b` (a JSON path), or `body` for the whole body. */
  where: string;
  /** What the recording holds there; absent when it has nothing there. */
  recorded?: unknown;
  /** What the request sent there; absent when it sent nothing there. */
  sent?: unknown;
}

/**
 * The places where `sent` and `recorded` differ, in reading order (method, path, query, body), at most
 * `limit` of them. Both are compared the way matching sees them (redacted, ignore rules applied).
 */
export function differences(sent: MatchableRequest, recorded: MatchableRequest, limit = 5): Difference[] {
  const out: Difference[] = [];
  const add = (difference: Difference): boolean => {
    out.push(difference);
    return out.length >= limit;
  };
  if (sent.method.toUpperCase() !== recorded.method.toUpperCase() && add({ where: 'method', recorded: recorded.method, sent: sent.method })) return out;
  if (sent.path !== recorded.path && add({ where: 'path', recorded: recorded.path, sent: sent.path })) return out;
  for (const name of [...new Set([...Object.keys(recorded.query), ...Object.keys(sent.query)])].sort()) {
    const a = Object.hasOwn(recorded.query, name) ? recorded.query[name] : undefined;
    const b = Object.hasOwn(sent.query, name) ? sent.query[name] : undefined;
    if (canonicalJson(a) !== canonicalJson(b) && add(difference(`query ${name}`, a, b))) return out;
  }
  const a = comparable(recorded.body);
  const b = comparable(sent.body);
  if (a.kind !== b.kind) {
    add({ where: 'body', recorded: a.kind, sent: b.kind });
    return out;
  }
  if (a.kind === 'json' || a.kind === 'fields') jsonDifferences(a.value, b.value, '$', add);
  else if (a.value !== b.value) add({ where: 'body', recorded: a.value, sent: b.value });
  return out;
}

function difference(where: string, recorded: unknown, sent: unknown): Difference {
  const out: Difference = { where };
  if (recorded !== undefined) out.recorded = clip(recorded);
  if (sent !== undefined) out.sent = clip(sent);
  return out;
}

/** A large value (a whole object, a long text) is kept as the start of its JSON: a summary lists up to hundreds of misses. */
function clip(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length <= 200 ? value : `${text.slice(0, 199)}…`;
}

/** A body as matching compares it: `{}` and no body are the same; bytes by digest. */
function comparable(body: Body | null): { kind: string; value: unknown } {
  if (body === null) return { kind: 'json', value: {} };
  switch (body.kind) {
    case 'json':
      return { kind: 'json', value: body.value };
    case 'text':
      return body.value === '' ? { kind: 'json', value: {} } : { kind: 'text', value: `${body.value.length} characters of text` };
    case 'base64':
      return body.value === '' ? { kind: 'json', value: {} } : { kind: 'bytes', value: `${Buffer.from(body.value, 'base64').length} bytes` };
    case 'multipart':
      return {
        kind: 'fields',
        value: {
          ...body.fields,
          ...Object.fromEntries(body.files.map((f) => [f.field, `file ${f.filename} (${f.size} bytes, sha256 ${f.sha256.slice(0, 12)})`])),
        },
      };
  }
}

/** Walks two JSON values side by side; `add` returns true when enough is found. */
function jsonDifferences(a: unknown, b: unknown, at: string, add: (d: Difference) => boolean): boolean {
  if (canonicalJson(a) === canonicalJson(b)) return false;
  const bothObjects = isRecord(a) && isRecord(b);
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  if (bothArrays && a.length === b.length) {
    for (let i = 0; i < a.length; i++) if (jsonDifferences(a[i], b[i], `${at}[${i}]`, add)) return true;
    return false;
  }
  if (!bothObjects) return add(difference(at === '$' ? 'body' : `body ${at}`, a, b));
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const child = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`;
    const x = Object.hasOwn(a, key) ? a[key] : undefined;
    const y = Object.hasOwn(b, key) ? b[key] : undefined;
    if (jsonDifferences(x, y, child, add)) return true;
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A difference in one line: `body $.data.updatedAt: recorded "2026-01-01", sent "2026-01-02"`. */
export function describeDifference(d: Difference): string {
  if (d.recorded === undefined) return `${d.where}: only in the request (${shortValue(d.sent)})`;
  if (d.sent === undefined) return `${d.where}: only in the recording (${shortValue(d.recorded)})`;
  return `${d.where}: recorded ${shortValue(d.recorded)}, sent ${shortValue(d.sent)}`;
}

const SHORT = 80;

/** A value as JSON, cut to a length a log line can hold. */
export function shortValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= SHORT ? text : `${text.slice(0, SHORT - 1)}…`;
}
