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
  let start = 0;
  while (start <= source.length) {
    let end = source.indexOf('&', start);
    if (end === -1) end = source.length;
    if (end > start) {
      const eq = source.indexOf('=', start);
      pairs.push(eq === -1 || eq > end ? [decode(source.slice(start, end)), ''] : [decode(source.slice(start, eq)), decode(source.slice(eq + 1, end))]);
    }
    start = end + 1;
  }
  return collectParams(pairs);
}

/** One parameter while collecting: its values with their bracket index (Infinity for `[]` or none) and arrival order. */
interface Collected {
  array: boolean;
  items: { index: number; order: number; value: string }[];
}

/** Groups name/value pairs into parameters: bracketed or repeated names become arrays. Used for query strings and form fields. */
export function collectParams(pairs: Iterable<readonly [string, string]>): Query {
  const collected = new Map<string, Collected>();
  let order = 0;
  for (const [rawName, value] of pairs) {
    const open = bracketAt(rawName);
    const name = open === -1 ? rawName : rawName.slice(0, open);
    const index = open === -1 || open === rawName.length - 2 ? Number.POSITIVE_INFINITY : Number(rawName.slice(open + 1, -1));
    const item = { index, order: order++, value };
    const known = collected.get(name);
    if (known) {
      // A bracketed name after a plain one starts the list afresh: the plain value is dropped.
      if (open !== -1 && !known.array) known.items = [item];
      else known.items.push(item);
      known.array = true;
    } else {
      collected.set(name, { array: open !== -1, items: [item] });
    }
  }
  const query: Query = Object.create(null) as Query;
  const names = [...collected.keys()];
  if (!inOrder(names, (a, b) => (a < b ? -1 : a > b ? 1 : 0))) names.sort();
  for (const name of names) {
    const { array, items } = collected.get(name) as Collected;
    if (!array) {
      query[name] = (items[0] as Collected['items'][number]).value;
      continue;
    }
    if (!inOrder(items, byIndexThenOrder)) items.sort(byIndexThenOrder);
    query[name] = items.map((item) => item.value);
  }
  return query;
}

function byIndexThenOrder(a: { index: number; order: number }, b: { index: number; order: number }): number {
  return a.index - b.index || a.order - b.order;
}

/** True when the list is already sorted by `compare`: sorting then costs nothing (most requests). */
function inOrder<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1] as T, list[i] as T) > 0) return false;
  return true;
}

/** Where `[` opens in a name of the form `name[]` or `name[digits]` (name without brackets); -1 otherwise. */
function bracketAt(name: string): number {
  if (name.charCodeAt(name.length - 1) !== 93 /* ] */) return -1;
  const open = name.indexOf('[');
  if (open < 1 || name.indexOf(']') !== name.length - 1) return -1;
  for (let i = open + 1; i < name.length - 1; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  return open;
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
