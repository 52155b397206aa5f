import type { PathStep } from '../config/redact-rule.js';
import { parseMatchIgnoreRule, type MatchIgnoreRule } from '../config/match-ignore-rule.js';
import type { Body, Query } from '../model/exchange.js';
import type { MatchableRequest } from './request-key.js';

/**
 * Leaves what changes on every run (a timestamp, a nonce, a cache-busting query parameter) out of a
 * request's identity: the values at the rules' places are removed, on the live request and on the
 * recordings alike, so that two requests differing only there match. Values are copied only where
 * something is removed.
 */
export class MatchIgnore {
  readonly rules: readonly string[];
  readonly #paths: readonly PathStep[][];
  readonly #query: ReadonlySet<string>;

  constructor(rules: readonly string[]) {
    this.rules = [...new Set(rules)].sort();
    const parsed: MatchIgnoreRule[] = this.rules.map(parseMatchIgnoreRule);
    this.#paths = parsed.flatMap((r) => (r.kind === 'json' ? [r.path] : []));
    this.#query = new Set(parsed.flatMap((r) => (r.kind === 'query' ? [r.name] : [])));
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  apply<T extends MatchableRequest>(request: T): T {
    if (this.empty) return request;
    const query = this.#queryOf(request.query);
    const body = this.#bodyOf(request.body);
    return query === request.query && body === request.body ? request : { ...request, query, body };
  }

  #queryOf(query: Query): Query {
    let out: Query | null = null;
    for (const name of this.#query) {
      if (!Object.hasOwn(query, name)) continue;
      out ??= Object.assign(Object.create(null) as Query, query);
      delete out[name];
    }
    return out ?? query;
  }

  #bodyOf(body: Body | null): Body | null {
    if (body === null || this.#paths.length === 0) return body;
    if (body.kind === 'json') {
      let value = body.value;
      for (const path of this.#paths) value = removePath(value, path, 0);
      return value === body.value ? body : { kind: 'json', value };
    }
    if (body.kind === 'multipart') {
      let fields: unknown = body.fields;
      for (const path of this.#paths) fields = removePath(fields, path, 0);
      return fields === body.fields ? body : { ...body, fields: fields as Record<string, string | string[]> };
    }
    return body;
  }
}

/** The value without what `path` (from step `at`) reaches; the same object when nothing is there. */
function removePath(value: unknown, path: readonly PathStep[], at: number): unknown {
  const step = path[at];
  if (step === undefined || value === null || typeof value !== 'object') return value;
  const last = at === path.length - 1;
  if ('deep' in step) {
    // `..name`: the field wherever it is (and the rest of the path below it), at every depth.
    let here = value;
    if (!Array.isArray(value) && Object.hasOwn(value, step.deep))
      here = last ? without(value, step.deep) : withChild(value, step.deep, removePath((value as Record<string, unknown>)[step.deep], path, at + 1));
    return mapChildren(here, (child) => removePath(child, path, at));
  }
  if ('any' in step) {
    if (last) return Array.isArray(value) ? [] : {};
    return mapChildren(value, (child) => removePath(child, path, at + 1));
  }
  if (Array.isArray(value)) {
    const index = Number(step.key);
    if (!Number.isInteger(index) || index >= value.length) return value;
    if (last) return value.filter((_, i) => i !== index);
    const next = removePath(value[index], path, at + 1);
    if (next === value[index]) return value;
    const copy = [...value];
    copy[index] = next;
    return copy;
  }
  if (!Object.hasOwn(value, step.key)) return value;
  return last ? without(value, step.key) : withChild(value, step.key, removePath((value as Record<string, unknown>)[step.key], path, at + 1));
}

function without(value: object, key: string): object {
  const copy = copyRecord(value);
  delete copy[key];
  return copy;
}

function withChild(value: object, key: string, next: unknown): object {
  if ((value as Record<string, unknown>)[key] === next) return value;
  return Object.assign(copyRecord(value), { [key]: next });
}

function mapChildren(value: object, fn: (child: unknown) => unknown): object {
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((child: unknown, i) => {
      const next = fn(child);
      if (next !== child) (out ??= [...(value as unknown[])])[i] = next;
    });
    return out ?? value;
  }
  let out: Record<string, unknown> | null = null;
  for (const [key, child] of Object.entries(value)) {
    const next = fn(child);
    if (next !== child) (out ??= copyRecord(value))[key] = next;
  }
  return out ?? value;
}

function copyRecord(value: object): Record<string, unknown> {
  return Object.assign(Object.getPrototypeOf(value) === null ? Object.create(null) : {}, value) as Record<string, unknown>;
}
