import { setOwn } from '../model/set-own.js';

/** JSON with object keys sorted at every level: equal values give equal text, whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortInPlace(Object.keys(record));
  let out = '{';
  for (const key of keys) {
    const child = record[key];
    if (child === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(child)}`;
  }
  return `${out}}`;
}

/**
 * Insertion sort in place: objects have few keys, most already in order, and the built-in sort
 * allocates a copy. Same order as `Array.prototype.sort()` on strings (UTF-16 code units).
 */
function sortInPlace(keys: string[]): string[] {
  // Quadratic at worst: long lists (a hostile body) take the built-in sort.
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** A copy with object keys in sorted order, for files that must diff cleanly. */
export function sortKeysDeep<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as Record<string, unknown>).sort()) setOwn(out, key, sortKeysDeep((value as Record<string, unknown>)[key]));
  return out as T;
}
