import { parseJson } from '../model/parse-json.js';
import { fail } from './state-failure.js';
import { checkValueCount, checkValues, type AttributeType } from './query-values.js';
import { firstInOrder, lastInOrder } from './first-in-order.js';

/** One Appwrite 1.5 query, as the SDKs send it: `{"method":"equal","attribute":"name","values":["Ada"]}`. */
export interface Query {
  method: string;
  attribute: string;
  values: unknown[];
}

const FILTERS = new Set([
  'equal',
  'notEqual',
  'lessThan',
  'lessThanEqual',
  'greaterThan',
  'greaterThanEqual',
  'between',
  'isNull',
  'isNotNull',
  'startsWith',
  'endsWith',
  'contains',
  'search',
  'and',
  'or',
]);
const METHODS = new Set([...FILTERS, 'select', 'orderAsc', 'orderDesc', 'limit', 'offset', 'cursorAfter', 'cursorBefore']);

/** Appwrite's default page size when no `limit` query is given. */
export const DEFAULT_LIMIT = 25;
/** @note Appwrite counts at most this many matches (APP_LIMIT_COUNT) for `total`. */
export const COUNT_LIMIT = 5000;

/** The values of each `select` query, one list per query. */
export function selectsOf(queries: readonly Query[]): string[][] {
  return queries.filter((query) => query.method === 'select').map((query) => query.values.map(String));
}

/** Parses the `queries` parameter; anything Appwrite's `Query::parse` refuses is 400 `general_query_invalid`. */
export function parseQueries(raw: unknown): Query[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item) => {
    if (typeof item !== 'string') return toQuery(item);
    let decoded: unknown;
    try {
      decoded = parseJson(item);
    } catch {
      fail('general_query_invalid', 'Invalid query: Syntax error');
    }
    return toQuery(decoded);
  });
}

function toQuery(value: unknown): Query {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail('general_query_invalid', `Invalid query. Must be an array, got ${phpType(value)}`);
  const { method, attribute = '', values = [] } = value as Record<string, unknown>;
  if (typeof method !== 'string') fail('general_query_invalid', `Invalid query method. Must be a string, got ${phpType(method)}`);
  if (!METHODS.has(method)) fail('general_query_invalid', `Invalid query method: ${method}`);
  if (typeof attribute !== 'string') fail('general_query_invalid', `Invalid query attribute. Must be a string, got ${phpType(attribute)}`);
  if (!Array.isArray(values)) fail('general_query_invalid', `Invalid query values. Must be an array, got ${phpType(values)}`);
  return { method, attribute, values: method === 'and' || method === 'or' ? values.map(toQuery) : values };
}

function phpType(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'double';
  return typeof value === 'object' ? 'array' : typeof value;
}

type AttributeRules = Pick<QueryOptions<unknown>, 'attributes' | 'fulltext' | 'schema'>;

export interface QueryOptions<T> {
  id: (item: T) => string;
  /** Attributes a filter or order may name; null accepts any. */
  attributes: ReadonlySet<string> | null;
  /** Attributes with a fulltext index, which `search` needs; null accepts any. */
  fulltext?: ReadonlySet<string> | null;
  /** The types of the attributes, against which filter values are checked; none: any value. */
  schema?: ReadonlyMap<string, AttributeType> | null;
  /** What the cursor names, for Appwrite's message (`Document`, `User`...). */
  noun: string;
  /**
   * The items that can match `filters` (as checked), with their places among `items`, in that order: what
   * an index gives. Null, or none given: every item is a candidate.
   */
  candidates?: ((filters: readonly Query[]) => Ranked<T>[] | null) | undefined;
  /**
   * Every item in the order `order` gives (ties by creation order), walked as far as a page needs, when an
   * index keeps them so and walking it costs less than putting `candidates` items in order for `wanted`;
   * null otherwise.
   */
  sorted?: ((order: Query, candidates: number, wanted: number) => Iterable<Ranked<T>> | null) | undefined;
}

export interface QueryResult<T> {
  total: number;
  items: T[];
  /** Attributes named by `select` queries, or null when there are none. */
  select: string[] | null;
}

/** Filters, orders and pages `items` (kept in creation order) the way Appwrite's database does. */
export function runQueries<T extends object>(items: Iterable<T>, queries: Query[], options: QueryOptions<T>): QueryResult<T> {
  const filters: Query[] = [];
  const orders: Query[] = [];
  let limit = DEFAULT_LIMIT;
  let offset = 0;
  let cursor: { id: string; after: boolean } | null = null;
  let select: string[] | null = null;
  for (const query of queries) {
    switch (query.method) {
      case 'limit':
        limit = pageNumber(query, 1);
        break;
      case 'offset':
        offset = pageNumber(query, 0);
        break;
      case 'cursorAfter':
      case 'cursorBefore':
        if (typeof query.values[0] !== 'string') fail('general_query_invalid', 'Invalid query: Invalid cursor: Cursor must be a string');
        cursor = { id: query.values[0], after: query.method === 'cursorAfter' };
        break;
      case 'select':
        select = [...(select ?? []), ...query.values.map(String)];
        break;
      case 'orderAsc':
      case 'orderDesc':
        if (query.attribute !== '') checkAttribute(query.attribute, options);
        orders.push(query);
        break;
      default:
        filters.push(checkFilter(query, options));
    }
  }
  const ranked = options.candidates?.(filters) ?? Array.from(items, (item, order) => ({ item, order }));
  const matching = ({ item }: Ranked<T>) => filters.every((q) => matchesFilter(item, q));
  const [only] = orders;
  const walk = only && orders.length === 1 && !cursor ? options.sorted?.(only, ranked.length, offset + limit) : null;
  if (walk) return { total: countUpTo(ranked, matching), items: firstMatches(walk, matching, offset + limit).slice(offset), select };
  const matches = ranked.filter(matching);
  const total = Math.min(matches.length, COUNT_LIMIT);
  const inOrder = orders.length > 0 ? (a: Ranked<T>, b: Ranked<T>) => compareBy(a, b, orders) || a.order - b.order : null;
  return { total, items: pageOf(matches, inOrder, { limit, offset, cursor }, options).map(({ item }) => item), select };
}

/** How many of `items` match, counted up to COUNT_LIMIT as Appwrite counts them. */
function countUpTo<T>(items: readonly Ranked<T>[], matching: (item: Ranked<T>) => boolean): number {
  let count = 0;
  for (const item of items) if (matching(item) && ++count === COUNT_LIMIT) break;
  return count;
}

/** The first `count` items of `walk` (already in order) that match. */
function firstMatches<T>(walk: Iterable<Ranked<T>>, matching: (item: Ranked<T>) => boolean, count: number): T[] {
  const out: T[] = [];
  if (count <= 0) return out;
  for (const ranked of walk) if (matching(ranked) && out.push(ranked.item) === count) break;
  return out;
}

/** An item and its place in creation order, which breaks the ties of every order. */
export interface Ranked<T> {
  item: T;
  order: number;
}

interface Paging {
  limit: number;
  offset: number;
  cursor: { id: string; after: boolean } | null;
}

/**
 * The page of `matches` (in creation order) as Appwrite sorts and pages them: only the items up to the
 * page's end are put in order, not every match.
 */
function pageOf<T>(matches: Ranked<T>[], inOrder: ((a: Ranked<T>, b: Ranked<T>) => number) | null, paging: Paging, options: QueryOptions<T>): Ranked<T>[] {
  const { limit, offset, cursor } = paging;
  const first = (list: Ranked<T>[], count: number) => (inOrder ? firstInOrder(list, count, inOrder) : list.slice(0, count));
  if (!cursor) return first(matches, offset + limit).slice(offset);
  const at = matches.find(({ item }) => options.id(item) === cursor.id);
  if (!at) fail('general_cursor_not_found', `${options.noun} '${cursor.id}' for the 'cursor' value not found.`);
  const compare = inOrder ?? ((a: Ranked<T>, b: Ranked<T>) => a.order - b.order);
  if (cursor.after)
    return first(
      matches.filter((match) => compare(match, at) > 0),
      offset + limit,
    ).slice(offset);
  const before = matches.filter((match) => compare(match, at) < 0);
  const end = Math.max(0, before.length - offset);
  const start = Math.max(0, end - limit);
  const last = inOrder ? lastInOrder(before, before.length - start, inOrder) : before.slice(start);
  return last.slice(0, end - start);
}

/**
 * utopia-php/database's Limit and Offset validators: `Numeric`, then `Range` of integers, so numeric text such as
 * `"2"` is a page size too (PHP's `is_numeric` allows surrounding whitespace, `"2" + 0` is an int).
 */
function pageNumber(query: Query, min: number): number {
  const given = query.values[0];
  const value = typeof given === 'string' && /^\s*[+-]?\d+\s*$/.test(given) ? Number(given) : given;
  const name = query.method;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(
      'general_query_invalid',
      `Invalid query: Invalid ${name}: Value must be a valid range between ${min === 1 ? '1' : '0'} and ${COUNT_LIMIT.toLocaleString('en-US')}`,
    );
  }
  return value;
}

function checkAttribute(attribute: string, options: AttributeRules): void {
  const known = options.attributes;
  if (!known || known.has(attribute)) return;
  // A dotted name is checked by its first part: a relationship's related attributes cannot be queried
  // (utopia-php/database 0.48.4 Validator/Query/Filter.php isValidAttribute).
  const top = attribute.split('.')[0] ?? attribute;
  if (top !== attribute && known.has(top)) fail('general_query_invalid', `Invalid query: Cannot query nested attribute on: ${top}`);
  fail('general_query_invalid', `Invalid query: Attribute not found in schema: ${top}`);
}

/** A filter as it is run: checked as utopia-php/database checks it, its values as its attributes compare them. */
function checkFilter(query: Query, options: AttributeRules): Query {
  if (query.method === 'and' || query.method === 'or') {
    if (query.values.length < 2) fail('general_query_invalid', `Invalid query: ${query.method === 'and' ? 'And' : 'Or'} queries require at least two queries`);
    const inner = (query.values as Query[]).map((nested) => {
      if (!FILTERS.has(nested.method))
        fail('general_query_invalid', `Invalid query: ${query.method === 'and' ? 'And' : 'Or'} queries can only contain filter queries`);
      return checkFilter(nested, options);
    });
    return { ...query, values: inner };
  }
  checkValueCount(query);
  checkAttribute(query.attribute, options);
  const checked = options.schema ? checkValues(query, options.schema) : query;
  if (query.method === 'search' && options.fulltext && !options.fulltext.has(query.attribute)) {
    fail('general_query_invalid', `Invalid query: Searching by attribute "${query.attribute}" requires a fulltext index.`);
  }
  return checked;
}

function field(item: object, attribute: string): unknown {
  return (item as Record<string, unknown>)[attribute];
}

function matchesFilter(item: object, query: Query): boolean {
  if (query.method === 'and') return (query.values as Query[]).every((q) => matchesFilter(item, q));
  if (query.method === 'or') return (query.values as Query[]).some((q) => matchesFilter(item, q));
  const value = field(item, query.attribute);
  if (query.method === 'isNull') return value === null || value === undefined;
  if (query.method === 'isNotNull') return value !== null && value !== undefined;
  if (value === null || value === undefined) return false;
  // @note A filter on an array attribute matches when any element matches, as Appwrite's JSON-column queries do.
  if (Array.isArray(value) && query.method !== 'contains') return value.some((element) => matchesScalar(element, query));
  return matchesScalar(value, query);
}

function matchesScalar(value: unknown, query: Query): boolean {
  const [first, second] = query.values;
  switch (query.method) {
    case 'equal':
      return query.values.some((candidate) => same(value, candidate));
    case 'notEqual':
      return !query.values.some((candidate) => same(value, candidate));
    case 'lessThan':
      return compare(value, first) < 0;
    case 'lessThanEqual':
      return compare(value, first) <= 0;
    case 'greaterThan':
      return compare(value, first) > 0;
    case 'greaterThanEqual':
      return compare(value, first) >= 0;
    case 'between':
      return compare(value, first) >= 0 && compare(value, second) <= 0;
    case 'startsWith':
      return typeof value === 'string' && value.startsWith(String(first));
    case 'endsWith':
      return typeof value === 'string' && value.endsWith(String(first));
    case 'contains':
      if (Array.isArray(value)) return query.values.some((candidate) => value.some((element) => same(element, candidate)));
      return typeof value === 'string' && query.values.some((candidate) => value.includes(String(candidate)));
    case 'search':
      return typeof value === 'string' && fulltextMatch(value, String(first));
    default:
      return false;
  }
}

/**
 * @note Appwrite runs `MATCH ... AGAINST (value* IN BOOLEAN MODE)`: any word of the search
 * matches a whole word, and the last one also matches as a prefix; case does not matter.
 */
function fulltextMatch(text: string, search: string): boolean {
  const terms = words(search);
  if (terms.length === 0) return false;
  const last = terms[terms.length - 1] as string;
  return words(text).some((word) => terms.includes(word) || word.startsWith(last));
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((word) => word !== '');
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  return false;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'number' || typeof b === 'number') return Number(a) - Number(b);
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Two values of an attribute as an ascending order puts them: a missing value first (MariaDB's NULL). */
export function compareValues(left: unknown, right: unknown): number {
  if (left === right) return 0;
  if (left === null || left === undefined) return -1;
  if (right === null || right === undefined) return 1;
  return compare(left, right);
}

function compareBy(a: Ranked<object>, b: Ranked<object>, orders: Query[]): number {
  for (const order of orders) {
    let result: number;
    // @note An order with no attribute sorts by the internal sequence, that is creation order.
    if (order.attribute === '') {
      result = a.order - b.order;
    } else {
      result = compareValues(field(a.item, order.attribute), field(b.item, order.attribute));
    }
    if (result !== 0) return order.method === 'orderDesc' ? -result : result;
  }
  return 0;
}

/**
 * Where a document says which collection it is in: Appwrite sets these on every document it answers, selected
 * or not (app/controllers/api/databases.php processDocument at 1.5.0).
 */
const ALWAYS_KEPT = new Set(['$collectionId', '$databaseId']);

/**
 * Keeps only the selected attributes. The other `$` system attributes (`$id`, `$createdAt`, `$updatedAt`,
 * `$permissions`) are left out unless selected, as a real 1.5.0 answers (utopia-php/database 0.48.4 drops
 * what a select leaves out; the spec marks them required, see the known deviations).
 */
export function project<T extends object>(item: T, select: string[] | null): T {
  if (!select || select.includes('*')) return item;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (ALWAYS_KEPT.has(key) || select.includes(key)) out[key] = value;
  return out as T;
}
