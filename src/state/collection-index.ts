import type { Query, Ranked } from './query.js';
import type { CollectionEntry, Model, ReadonlyDeep } from './state-data.js';
import { generationOf, memberOf } from './write-marks.js';

/**
 * What a collection's declared key and unique indexes give a list, as a database's indexes would: the
 * documents an `equal` filter on an index's first attribute can match, found by value instead of by
 * reading every document. Built when a list first asks, kept until the collection is written (see
 * write-marks.ts), never saved. It only narrows: every candidate is still run through every filter, so
 * an answer is the same with or without it.
 */
export type Candidates = (filters: readonly Query[]) => Ranked<Model>[] | null;

/** Places (in creation order) of the documents holding a value, by value. */
interface ValueIndex {
  exact: Map<string | number | boolean, number[]>;
  /** Documents holding a numeric string, by its number: a number filter matches them too (see `same` in query.ts). */
  numericText: Map<number, number[]>;
}

interface Built {
  generation: number;
  /** The documents in creation order: a document's place here is its place in every list. */
  documents: Model[];
  byAttribute: Map<string, ValueIndex>;
}

const built = new WeakMap<object, Built>();

/** The candidates of a list of all of `entry`'s documents, in creation order. */
export function indexedCandidates(entry: ReadonlyDeep<CollectionEntry>): Candidates {
  return (filters) => {
    const indexed = firstAttributes(entry);
    let best: number[] | null = null;
    for (const filter of filters) {
      if (filter.method !== 'equal' || !indexed.has(filter.attribute)) continue;
      const places = lookup(valueIndex(entry, filter.attribute), filter.values);
      if (places !== null && (best === null || places.length < best.length)) best = places;
    }
    if (best === null) return null;
    const documents = current(entry).documents;
    return best.map((order) => ({ item: documents[order] as Model, order }));
  };
}

function firstAttributes(entry: ReadonlyDeep<CollectionEntry>): Set<string> {
  const names = new Set<string>();
  for (const index of entry.indexes.values()) {
    const first = (index.attributes as readonly unknown[] | undefined)?.[0];
    if ((index.type === 'key' || index.type === 'unique') && typeof first === 'string') names.add(first);
  }
  return names;
}

function current(entry: ReadonlyDeep<CollectionEntry>): Built {
  const table = entry.documents;
  const generation = generationOf(table);
  const known = built.get(table);
  if (known && known.generation === generation) return known;
  const documents: Model[] = [];
  for (const document of table.values()) {
    documents.push(document as Model);
    memberOf(document, table);
  }
  const fresh: Built = { generation, documents, byAttribute: new Map() };
  built.set(table, fresh);
  return fresh;
}

function valueIndex(entry: ReadonlyDeep<CollectionEntry>, attribute: string): ValueIndex {
  const state = current(entry);
  const known = state.byAttribute.get(attribute);
  if (known) return known;
  const index: ValueIndex = { exact: new Map(), numericText: new Map() };
  state.documents.forEach((document, order) => {
    const value = document[attribute];
    // A filter on a list attribute matches when one element does (see matchesFilter in query.ts).
    for (const element of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (!isKey(element)) continue;
      add(index.exact, element, order);
      if (typeof element === 'string' && element.trim() !== '' && !Number.isNaN(Number(element))) add(index.numericText, Number(element), order);
    }
  });
  state.byAttribute.set(attribute, index);
  return index;
}

function isKey(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value));
}

function add<K>(map: Map<K, number[]>, key: K, order: number): void {
  const places = map.get(key);
  if (!places) map.set(key, [order]);
  // A list holding the value twice is one place.
  else if (places[places.length - 1] !== order) places.push(order);
}

/**
 * The places of the documents that can equal one of `values`, in creation order; null when a value is
 * not one the index holds (the list then reads every document).
 */
function lookup(index: ValueIndex, values: readonly unknown[]): number[] | null {
  const found: number[][] = [];
  for (const value of values) {
    if (!isKey(value)) return null;
    found.push(index.exact.get(value) ?? []);
    if (typeof value === 'number') found.push(index.numericText.get(value) ?? []);
    // A numeric string equals the number it reads as.
    if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) found.push(index.exact.get(Number(value)) ?? []);
  }
  const lists = found.filter((places) => places.length > 0);
  if (lists.length <= 1) return lists[0] ?? [];
  const merged = lists.flat().sort((a, b) => a - b);
  return merged.filter((order, at) => at === 0 || merged[at - 1] !== order);
}
