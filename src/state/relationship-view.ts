import { setOwn } from '../model/set-own.js';
import { isList, linkedIds, relationEnds, storage, type RelationEnd } from './relationship-ends.js';
import type { CollectionEntry, DatabaseEntry, Model, ReadonlyDeep } from './state-data.js';

/** How deep related documents are expanded (utopia-php/database 0.48.4 Database::RELATION_MAX_DEPTH). */
export const MAX_DEPTH = 3;
/** The attributes a select leaves out unless it names them (Database::INTERNAL_ATTRIBUTES, as Appwrite answers them). */
const INTERNAL = ['$id', '$createdAt', '$updatedAt', '$permissions'];

export interface ViewScope {
  readonly db: ReadonlyDeep<DatabaseEntry>;
  /** Whether the caller may read a related document (one it may not is left out, or null for a single one). */
  readonly canRead: (collection: ReadonlyDeep<CollectionEntry>, document: Readonly<Model>) => boolean;
}

export interface ViewOptions {
  /** The values of each `select` query, one list per query (none: every attribute). */
  readonly selects: readonly (readonly string[])[];
  /**
   * The answer to a create or an update: utopia answers the document as written, so a single relationship with
   * no related document is left out rather than null (recorded 1.5.0 traffic shows the same).
   */
  readonly written?: boolean;
}

interface Fetched {
  readonly end: RelationEnd;
  readonly document: string;
}

/**
 * A document as Appwrite answers it: its attributes as selected, each relationship expanded into the related
 * documents (Database.php populateDocumentRelationships at 0.48.4), with `$databaseId` and `$collectionId` on each
 * (app/controllers/api/databases.php processDocument at 1.5.0).
 */
export function documentView(scope: ViewScope, collectionId: string, document: Readonly<Model>, options: ViewOptions): Model {
  return view(scope, collectionId, document, options.selects, 1, [], options.written === true);
}

function view(
  scope: ViewScope,
  collectionId: string,
  document: Readonly<Model>,
  selects: readonly (readonly string[])[],
  depth: number,
  stack: readonly Fetched[],
  written: boolean,
): Model {
  const ends = endsOf(scope, collectionId);
  const values = selects.flat();
  const every = selects.length === 0 || values.includes('*');
  // A dotted select names a relationship: its first part selects the attribute, the rest goes down to the related documents.
  const nested = values.filter((value) => value.includes('.')).map((value) => [value.split('.').slice(1).join('.')]);
  const selected = new Set(values.map((value) => value.split('.')[0]));
  const relationKeys = new Set(ends.map((end) => end.key));
  const out: Model = {};
  for (const [key, value] of Object.entries(document)) {
    if (relationKeys.has(key) || key === '$collectionId' || key === '$databaseId') continue;
    if (every || selected.has(key) || INTERNAL.includes(key)) setOwn(out, key, value);
  }
  if (selects.length === 0 || nested.length > 0) {
    for (const end of ends) {
      const value = expand(scope, end, document, { selects: nested, depth, stack, written, selected: every || selected.has(end.key) });
      if (value !== undefined) setOwn(out, end.key, value);
    }
  }
  for (const select of selects) if (!select.includes('*')) for (const key of INTERNAL) if (!select.includes(key)) delete out[key];
  out.$databaseId = scope.db.model.$id;
  out.$collectionId = collectionId;
  return out;
}

/** The relationship ends of each collection, worked out once for all the documents one answer shows. */
const ENDS = new WeakMap<ViewScope, Map<string, RelationEnd[]>>();

function endsOf(scope: ViewScope, collectionId: string): RelationEnd[] {
  let known = ENDS.get(scope);
  if (!known) ENDS.set(scope, (known = new Map()));
  let ends = known.get(collectionId);
  if (!ends) known.set(collectionId, (ends = relationEnds(scope.db.collections, collectionId)));
  return ends;
}

interface Expansion {
  readonly selects: readonly (readonly string[])[];
  readonly depth: number;
  readonly stack: readonly Fetched[];
  readonly written: boolean;
  /** Whether the select asked for this attribute (a single relationship not asked for is left out). */
  readonly selected: boolean;
}

/** The value of one relationship in an answer, or undefined where Appwrite leaves the attribute out. */
function expand(scope: ViewScope, end: RelationEnd, document: Readonly<Model>, at: Expansion): unknown {
  const skip = at.stack.some((fetched) => loops(fetched, end, String(document.$id)));
  const deepest = at.depth >= MAX_DEPTH;
  const next: Fetched[] = [...at.stack, { end, document: String(document.$id) }];
  const fetch = (id: string): Model | null => related(scope, end, id, at.selects, at.depth + 1, next);
  if (isList(end)) {
    if (!end.twoWay && end.side === 'child') return undefined;
    // A one-way many-to-many's parent is expanded at any depth; the bound keeps a self-relation from looping.
    if (skip || (deepest && (end.twoWay || end.relationType !== 'manyToMany')) || at.depth > MAX_DEPTH * 2) return undefined;
    const list = linkedIds(scope.db.collections, end, document)
      .map(fetch)
      .filter((item): item is Model => item !== null);
    // The related documents of a one-to-many or many-to-one are found by their link back, which they then leave out.
    if (end.relationType !== 'manyToMany') for (const item of list) delete item[end.twoWayKey];
    return list;
  }
  if (end.relationType === 'oneToMany' && !end.twoWay) return undefined;
  if (skip || (deepest && (end.twoWay || end.relationType === 'manyToOne'))) return undefined;
  if (storage(end) === 'none' || !at.selected) return undefined;
  const id = document[end.key];
  if (typeof id !== 'string') return at.written ? undefined : null;
  return fetch(id);
}

function related(
  scope: ViewScope,
  end: RelationEnd,
  id: string,
  selects: readonly (readonly string[])[],
  depth: number,
  stack: readonly Fetched[],
): Model | null {
  const entry = scope.db.collections.get(end.relatedCollection);
  const document = entry?.documents.get(id);
  if (!entry || !document || !scope.canRead(entry, document)) return null;
  return view(scope, end.relatedCollection, document, selects, depth, stack, false);
}

/**
 * Whether expanding `end` would go back over a relationship already being expanded: the same one for the same
 * document, its other side, or one that reaches the same collections the other way (utopia's reflexive,
 * symmetric and transitive checks).
 */
function loops(fetched: Fetched, end: RelationEnd, documentId: string): boolean {
  const f = fetched.end;
  const reflexive = f.key === end.key && f.collection === end.collection && fetched.document === documentId;
  const otherSide = f.side !== end.side;
  const symmetric =
    otherSide && f.key === end.twoWayKey && f.twoWayKey === end.key && f.relatedCollection === end.collection && f.collection === end.relatedCollection;
  const transitive =
    otherSide &&
    ((f.key === end.twoWayKey && f.collection === end.relatedCollection) ||
      (f.twoWayKey === end.key && f.relatedCollection === end.collection) ||
      (f.key === end.key && f.twoWayKey !== end.twoWayKey && f.relatedCollection === end.relatedCollection) ||
      (f.key !== end.key && f.twoWayKey === end.twoWayKey && f.relatedCollection === end.relatedCollection));
  return reflexive || symmetric || transitive;
}
