import type { AppwriteErrorType } from '../model/appwrite-error.js';
import type { VcrResponse } from '../model/exchange.js';
import { extendableCopy } from '../model/extendable-copy.js';
import { isoDate, resolveId } from './ids.js';
import { parseQueries, project, runQueries, selectsOf, type Query, type QueryOptions } from './query.js';
import { json } from './reply.js';
import { fail, StateFailure } from './state-failure.js';
import { routeAttributes, type QueryRoute } from './route-queries.js';
import type { Model } from './state-data.js';

/** The entry under `id`, or Appwrite's not-found error of that resource. */
export function need<T>(table: ReadonlyMap<string, T>, id: unknown, notFound: AppwriteErrorType): T {
  const entry = typeof id === 'string' ? table.get(id) : undefined;
  if (entry === undefined) fail(notFound);
  return entry;
}

/** The ID a new entry gets (the client's, or a new one for `unique()`), refused when taken. */
export function claim(table: ReadonlyMap<string, unknown>, requested: unknown, exists: AppwriteErrorType, message?: string): string {
  const id = resolveId(requested);
  if (table.has(id)) fail(exists, message);
  return id;
}

/** `$id`, `$createdAt` and `$updatedAt` of a new resource. */
export function created(id: string): { $id: string; $createdAt: string; $updatedAt: string } {
  const now = isoDate();
  return { $id: id, $createdAt: now, $updatedAt: now };
}

type ListOptions<T> = Partial<QueryOptions<Model>> & {
  noun: string;
  searchIn?: (model: Model) => string[];
  /** What each item is queried as (a new object). */
  view?: (item: T) => Model;
  /** What each item of the page is answered as, given the values of each `select` query, in place of the selected attributes of its model (a new object). */
  present?: (model: Model, selects: readonly (readonly string[])[]) => Model;
};

/**
 * A list answer `{total, <key>: [...]}`: each item as its model (`view`), then Appwrite's
 * `search` parameter and queries over those models.
 */
export function listReply<T>(key: string, items: Iterable<T>, params: Record<string, unknown>, options: ListOptions<T> & { route?: QueryRoute }): VcrResponse {
  if (options.route === undefined) return listOf(key, items, params, options, parseQueries(params.queries));
  // A route validator checks the queries as a parameter, before the action runs (utopia-php/database 0.48.4
  // Validator/Queries.php): its refusal is the router's `Invalid \`queries\` param`, a parse error is worded
  // once more with `Invalid query: `, and `select` is a method it has no validator for.
  const refuse = (message: string): never => fail('general_argument_invalid', `Invalid \`queries\` param: ${message}`);
  let queries: Query[];
  try {
    queries = parseQueries(params.queries);
  } catch (err) {
    throw isQueryFailure(err) ? refuse(`Invalid query: ${err.message}`) : err;
  }
  if (queries.some((query) => query.method === 'select')) refuse('Invalid query method: select');
  try {
    return listOf(key, items, params, { ...options, attributes: routeAttributes(options.route) }, queries);
  } catch (err) {
    throw isQueryFailure(err) ? refuse(err.message) : err;
  }
}

function isQueryFailure(err: unknown): err is StateFailure {
  return err instanceof StateFailure && err.type === 'general_query_invalid';
}

function listOf<T>(key: string, items: Iterable<T>, params: Record<string, unknown>, options: ListOptions<T>, queries: Query[]): VcrResponse {
  const view = options.view;
  let models: Iterable<Model> = view ? Array.from(items, view) : (items as Iterable<Model>);
  const search = typeof params.search === 'string' ? params.search.trim().toLowerCase() : '';
  const searchIn = options.searchIn;
  const searched = search !== '' && searchIn !== undefined;
  if (searched) models = Array.from(models).filter((model) => searchIn(model).some((text) => text.toLowerCase().includes(search)));
  const result = runQueries(models, queries, {
    // Candidates name places among the items themselves: not among views of them, nor among what a search kept.
    candidates: view || searched ? undefined : options.candidates,
    sorted: view || searched ? undefined : options.sorted,
    id: options.id ?? ((model) => String(model.$id)),
    attributes: options.attributes ?? null,
    fulltext: options.fulltext ?? null,
    schema: options.schema ?? null,
    noun: options.noun,
  });
  // Stored models are copied, once a page is chosen: an answer never holds an object of the state (a view is a new object already).
  const present = options.present;
  const selects = present ? selectsOf(queries) : [];
  const page = result.items.map((model) => {
    if (present) return present(model, selects);
    const out = project(model, result.select);
    return out === model && !view ? extendableCopy(model) : out;
  });
  return json(200, { total: result.total, [key]: page });
}
