import { compareValues, type Query, type QueryOptions, type Ranked } from './query.js';
import type { CollectionEntry, Model, ReadonlyDeep } from './state-data.js';
import { generationOf, memberOf } from './write-marks.js';

/**
 * What a collection's declared key and unique indexes give a list, as a database's indexes would, for an
 * index's first attribute: the documents an `equal` filter on it can match, found by value instead of by
 * reading every document; and the documents in the order of an `orderAsc`/`orderDesc` on it, so that a
 * page walks them in order instead of ordering every match. Built when a list first asks, kept until the
 * collection is written (see write-marks.ts), never saved. They only narrow and order: every candidate
 * still goes through every filter, so an answer is the same with or without them.
 */
export type IndexedList = Pick<QueryOptions<Model>, 'candidates' | 'sorted'>;

/** Places (in creation order) of the documents holding a value, by value. */
interface ValueIndex {
  exact: Map<string | number | boolean, number[]>;
  /** Documents holding a numeric string, by its number: a number filter matches them too (see `same` in query.ts). */
  numericText: Map<number, number[]>;
}

interface Built {
  generation: number;
  /** Lists since the last write: the structures are built for the second, not for one list between two writes. */
  lists: number;
  /** The documents in creation order: a document's place here is its place in every list. */
  documents: Model[] | null;
  byAttribute: Map<string, ValueIndex>;
  /** Places in the order of `orderAsc:<attribute>` or `orderDesc:<attribute>`. */
  byOrder: Map<string, Int32Array>;
}

interface Ready extends Built {
  documents: Model[];
}

const built = new WeakMap<object, Built>();

/** What the indexes give a list of all of `entry`'s documents. */
export function collectionIndex(entry: ReadonlyDeep<CollectionEntry>): IndexedList {
  return { candidates: (filters) => candidates(entry, filters), sorted: (order, count, wanted) => sorted(entry, order, count, wanted) };
}

/** Asked once a list, first: it counts the list. */
function candidates(entry: ReadonlyDeep<CollectionEntry>, filters: readonly Query[]): Ranked<Model>[] | null {
  const state = ready(entry, true);
  if (!state) return null;
  const indexed = firstAttributes(entry);
  let best: number[] | null = null;
  for (const filter of filters) {
    if (filter.method !== 'equal' || !indexed.has(filter.attribute)) continue;
    const places = lookup(valueIndex(state, filter.attribute), filter.values);
    if (places !== null && (best === null || places.length < best.length)) best = places;
  }
  if (best === null) return null;
  const documents = state.documents;
  return best.map((order) => ({ item: documents[order] as Model, order }));
}

/**
 * The documents in the order `order` gives, when walking them until `wanted` of `count` candidates
 * are found (about wanted * all / count documents) costs less than ordering the candidates.
 */
function sorted(entry: ReadonlyDeep<CollectionEntry>, order: Query, count: number, wanted: number): Iterable<Ranked<Model>> | null {
  if (order.attribute === '' || !firstAttributes(entry).has(order.attribute)) return null;
  const state = ready(entry, false);
  if (!state) return null;
  const all = state.documents.length;
  if (count === 0 || (wanted * all) / count >= count) return null;
  const key = `${order.method}:${order.attribute}`;
  let places = state.byOrder.get(key);
  if (!places) {
    places = orderOf(state.documents, order);
    state.byOrder.set(key, places);
  }
  return walk(state.documents, places);
}

function orderOf(documents: readonly Model[], order: Query): Int32Array {
  const values = documents.map((document) => document[order.attribute]);
  const sign = order.method === 'orderDesc' ? -1 : 1;
  // The comparison of a list's order, ties by creation order (see compareBy in query.ts).
  return Int32Array.from(documents.keys()).sort((a, b) => sign * compareValues(values[a], values[b]) || a - b);
}

function* walk(documents: readonly Model[], places: Int32Array): Generator<Ranked<Model>> {
  for (const order of places) yield { item: documents[order] as Model, order };
}

function firstAttributes(entry: ReadonlyDeep<CollectionEntry>): Set<string> {
  const names = new Set<string>();
  for (const index of entry.indexes.values()) {
    const first = (index.attributes as readonly unknown[] | undefined)?.[0];
    if ((index.type === 'key' || index.type === 'unique') && typeof first === 'string') names.add(first);
  }
  return names;
}

/**
 * The structures of `entry`'s documents as they are now (`counting`: a new list asks), or null for the
 * first list since a write, which reads every document as it would without indexes.
 */
function ready(entry: ReadonlyDeep<CollectionEntry>, counting: boolean): Ready | null {
  const table = entry.documents;
  const generation = generationOf(table);
  let state = built.get(table);
  if (!state || state.generation !== generation) {
    state = { generation, lists: 0, documents: null, byAttribute: new Map(), byOrder: new Map() };
    built.set(table, state);
  }
  if (counting) state.lists++;
  if (state.lists < 2) return null;
  if (!state.documents) {
    const documents: Model[] = [];
    for (const document of table.values()) {
      documents.push(document as Model);
      memberOf(document, table);
    }
    state.documents = documents;
  }
  return state as Ready;
}

function valueIndex(state: Ready, attribute: string): ValueIndex {
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
