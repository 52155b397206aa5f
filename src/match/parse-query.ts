import type { Query } from '../model/exchange.js';

/**
 * Parses a query string the way Appwrite's PHP router reads it: `name[0]=a&name[1]=b`,
 * `name[]=a&name[]=b` and repeated `name=a&name=b` all give an array in index (or arrival) order;
 * `+` is a space. Names are returned without brackets, sorted.
 */
export function parseQuery(search: string): Query {
  const source = search.startsWith('?') ? search.slice(1) : search;
  if (source === '') return Object.create(null) as Query;
  const pairs: [string, string][] = [];
  for (const pair of source.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    pairs.push([decode(eq === -1 ? pair : pair.slice(0, eq)), eq === -1 ? '' : decode(pair.slice(eq + 1))]);
  }
  return collectParams(pairs);
}

/** Groups name/value pairs into parameters: bracketed or repeated names become arrays. Used for query strings and form fields. */
export function collectParams(pairs: Iterable<readonly [string, string]>): Query {
  const singles = new Map<string, string>();
  const arrays = new Map<string, { index: number; order: number; value: string }[]>();
  let order = 0;
  for (const [rawName, value] of pairs) {
    const bracket = rawName.endsWith(']') ? /^([^[\]]+)\[(\d*)\]$/.exec(rawName) : null;
    if (bracket) {
      const name = bracket[1] as string;
      const list = arrays.get(name) ?? [];
      list.push({ index: bracket[2] === '' ? Number.POSITIVE_INFINITY : Number(bracket[2]), order: order++, value });
      arrays.set(name, list);
    } else if (singles.has(rawName) || arrays.has(rawName)) {
      const list = arrays.get(rawName) ?? [{ index: Number.POSITIVE_INFINITY, order: -1, value: singles.get(rawName) as string }];
      list.push({ index: Number.POSITIVE_INFINITY, order: order++, value });
      arrays.set(rawName, list);
      singles.delete(rawName);
    } else {
      singles.set(rawName, value);
    }
  }
  const query: Query = Object.create(null) as Query;
  const names = arrays.size === 0 ? [...singles.keys()] : [...new Set([...singles.keys(), ...arrays.keys()])];
  if (names.length > 1) names.sort();
  for (const name of names) {
    const list = arrays.get(name);
    if (list) {
      if (list.length > 1) list.sort((a, b) => a.index - b.index || a.order - b.order);
      query[name] = list.map((item) => item.value);
    } else {
      query[name] = singles.get(name) as string;
    }
  }
  return query;
}

function decode(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}
