import { parseJson } from '../model/parse-json.js';
import { setOwn } from '../model/set-own.js';
import { collection, database } from './databases.js';
import { documentView, type ViewScope } from './relationship-view.js';
import { deleteRelations, writeRelations, type RelationWrites } from './relationships.js';
import { linkedIds, relationEnds, type RelationEnd } from './relationship-ends.js';
import { normalise, structureProblem } from './document-structure.js';
import { isoDate, resolveId } from './ids.js';
import { parseQueries, selectsOf } from './query.js';
import type { AttributeType } from './query-values.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { CollectionEntry, Model, ReadonlyDeep } from './state-data.js';
import type { StateRoutes } from './state-request.js';
import { listReply, need } from './table.js';
import { collectionIndex } from './collection-index.js';
import { accessOf, authorize, checkGrantable, grants, permissionsParam, type Access } from './access.js';
import { creatorPermissions, ITEM_ACTIONS, type Action } from '../permissions/index.js';
import type { StateContext } from './state-request.js';

/** System keys a client may send in `data`: Appwrite sets these itself. */
const SET_BY_SERVER = new Set(['$id', '$permissions', '$createdAt', '$updatedAt', '$collection', '$collectionId', '$databaseId']);
const SYSTEM_QUERY = ['$id', '$createdAt', '$updatedAt'];

function userData(raw: unknown): Model {
  if (typeof raw === 'string') {
    try {
      raw = parseJson(raw);
    } catch {
      fail('document_invalid_structure', 'Invalid document structure: Value must be an instance of Document');
    }
  }
  const data: Model = {};
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [key, value] of Object.entries(raw)) if (!SET_BY_SERVER.has(key)) setOwn(data, key, value);
  }
  return data;
}

/**
 * A new document's attributes: each unset one as its default or null, then whatever else was sent (which the
 * structure check refuses). Relationships are left as sent: `writeRelations` turns them into links.
 */
function withDefaults(entry: ReadonlyDeep<CollectionEntry>, data: Model): Model {
  const out: Model = {};
  for (const [key, attribute] of entry.attributes) {
    // Own keys only: an attribute called `constructor` must not find Object's.
    if (attribute.type === 'relationship') continue;
    setOwn(out, key, Object.hasOwn(data, key) ? data[key] : (attribute.default ?? null));
  }
  for (const [key, value] of Object.entries(data)) if (!Object.hasOwn(out, key)) setOwn(out, key, value);
  return out;
}

function validate(entry: ReadonlyDeep<CollectionEntry>, document: Model): void {
  const problem = structureProblem(document, entry.attributes);
  if (problem) fail('document_invalid_structure', problem);
  normalise(document, entry.attributes);
  for (const index of entry.indexes.values()) {
    if (index.type !== 'unique') continue;
    const keys = index.attributes as string[];
    for (const other of entry.documents.values()) {
      if (other.$id !== document.$id && keys.every((key) => JSON.stringify(other[key] ?? null) === JSON.stringify(document[key] ?? null)))
        fail('document_already_exists');
    }
  }
}

function queryAttributes(entry: ReadonlyDeep<CollectionEntry>): Set<string> {
  return new Set([...SYSTEM_QUERY, ...entry.attributes.keys()]);
}

/** The types filters are checked against: the collection's attributes and the system ones (utopia's Documents validator). */
function attributeTypes(entry: ReadonlyDeep<CollectionEntry>): Map<string, AttributeType> {
  const types = new Map<string, AttributeType>([
    ['$id', { type: 'string', array: false }],
    ['$createdAt', { type: 'datetime', array: false }],
    ['$updatedAt', { type: 'datetime', array: false }],
  ]);
  for (const [key, attribute] of entry.attributes) types.set(key, { type: String(attribute.type), array: attribute.array === true });
  return types;
}

function fulltextAttributes(entry: ReadonlyDeep<CollectionEntry>): Set<string> {
  const names = new Set<string>();
  for (const index of entry.indexes.values()) if (index.type === 'fulltext') for (const name of index.attributes as string[]) names.add(name);
  return names;
}

/**
 * The collection of a document route, and who asks. Appwrite looks both up with its checks off: a
 * disabled database or collection is not found for everyone but a key; permissions never make them so.
 */
function scope(ctx: StateContext): { entry: ReadonlyDeep<CollectionEntry>; access: Access } {
  const access = accessOf(ctx);
  const entry = collection(ctx.data, ctx.params);
  if (!access.key && ctx.data.databases.get(String(ctx.params.databaseId))?.model.enabled === false) fail('database_not_found');
  if (!access.key && entry.model.enabled === false) fail('collection_not_found');
  return { entry, access };
}

/** The collection grants `action`, or (with document security) the document does. */
function documentGrants(access: Access, entry: ReadonlyDeep<CollectionEntry>, document: Readonly<Model>, action: Action): boolean {
  return grants(access, entry.model.$permissions, action) || (entry.model.documentSecurity === true && grants(access, document.$permissions, action));
}

/**
 * Fields whose change makes an update one that needs `update` permission (utopia-php/database compares each
 * stored attribute); relationships are compared by what they link to.
 */
function changes(
  collections: ReadonlyMap<string, ReadonlyDeep<CollectionEntry>>,
  stored: Readonly<Model>,
  next: Readonly<Model>,
  relations: readonly RelationEnd[],
  fields: Readonly<Model>,
): boolean {
  const keys = new Set(relations.map((end) => end.key));
  for (const key of new Set([...Object.keys(stored), ...Object.keys(next)])) {
    if (key === '$updatedAt' || keys.has(key)) continue;
    if (JSON.stringify(stored[key] ?? null) !== JSON.stringify(next[key] ?? null)) return true;
  }
  return relations.some((end) => Object.hasOwn(fields, end.key) && relinks(collections, end, stored, fields[end.key]));
}

function relinks(collections: ReadonlyMap<string, ReadonlyDeep<CollectionEntry>>, end: RelationEnd, stored: Readonly<Model>, value: unknown): boolean {
  const items = Array.isArray(value) ? (value as unknown[]) : value === null ? [] : [value];
  if (items.some((item) => typeof item !== 'string')) return true;
  return JSON.stringify(items) !== JSON.stringify(linkedIds(collections, end, stored));
}

const documentRef = (params: Record<string, unknown>, documentId: string) =>
  ({ resource: 'document', ids: { databaseId: String(params.databaseId), collectionId: String(params.collectionId), documentId } }) as const;

/** How the document routes expand relationships for `access`: a related document it may not read is left out. */
function viewScope(ctx: StateContext, access: Access): ViewScope {
  return {
    db: database(ctx.data, ctx.params.databaseId),
    canRead: (entry, document) => documentGrants(access, entry, document, 'read'),
  };
}

/** The relationship writes of a create or an update: nested documents are checked as the routes check their own. */
function relationWrites(ctx: StateContext, access: Access, route: RelationWrites['route']): RelationWrites {
  return {
    db: database(ctx.data, ctx.params.databaseId),
    tx: ctx.tx,
    route,
    authorize: (entry, action, document) =>
      authorize(document === null ? grants(access, entry.model.$permissions, action) : documentGrants(access, entry, document, action)),
    build: (entry, id, fields, permissions) => newDocument(entry, id, fields, permissions),
    merge: (entry, document, fields) => merged(entry, document, fields, null),
  };
}

/** A new document of `entry`, checked (not stored). */
function newDocument(entry: ReadonlyDeep<CollectionEntry>, id: string, fields: Readonly<Model>, permissions: string[]): Model {
  const now = isoDate();
  // Extended in place, not spread: a document gets properties later (see extendableCopy).
  const document: Model = Object.assign(withDefaults(entry, fields), { $id: id, $permissions: permissions, $createdAt: now, $updatedAt: now });
  validate(entry, document);
  if (entry.documents.has(id)) fail('document_already_exists');
  return Object.assign(document, { $collectionId: entry.model.$id, $databaseId: entry.model.databaseId });
}

/** `document` with `fields` (and `permissions`, when sent) written over it, checked (not stored). */
function merged(entry: ReadonlyDeep<CollectionEntry>, document: Readonly<Model>, fields: Readonly<Model>, permissions: string[] | null): Model {
  // Built key by key, not spread: the stored document gets properties after validation (see extendableCopy).
  const next: Model = {};
  for (const key of Object.keys(document)) if (key !== '$collectionId' && key !== '$databaseId') setOwn(next, key, document[key]);
  for (const key of Object.keys(fields)) setOwn(next, key, fields[key]);
  Object.assign(next, { $permissions: permissions ?? document.$permissions, $updatedAt: isoDate() });
  validate(entry, next);
  return Object.assign(next, { $collectionId: document.$collectionId, $databaseId: document.$databaseId });
}

export const documentRoutes: StateRoutes = {
  databasesListDocuments: (ctx) => {
    const { entry, access } = scope(ctx);
    let documents: Iterable<Readonly<Model>> = entry.documents.values();
    const everyDocument = grants(access, entry.model.$permissions, 'read');
    // @note Without read on the collection: 401 when document security is off, else only the documents that grant read (the total counts the same).
    if (!everyDocument) {
      authorize(entry.model.documentSecurity === true);
      documents = [...entry.documents.values()].filter((document) => grants(access, document.$permissions, 'read'));
    }
    const views = viewScope(ctx, access);
    const collectionId = String(entry.model.$id);
    const present = (document: Model, selects: readonly (readonly string[])[]): Model => {
      const out = documentView(views, collectionId, document, { selects });
      // After a select, a list leaves out `$databaseId` and `$collectionId` unless selected (databases.php:3100-3118 at 1.5.0).
      if (selects.length > 0) for (const key of ['$databaseId', '$collectionId']) if (!selects.some((values) => values.includes(key))) delete out[key];
      return out;
    };
    return listReply('documents', documents, ctx.params, {
      noun: 'Document',
      attributes: queryAttributes(entry),
      fulltext: fulltextAttributes(entry),
      schema: attributeTypes(entry),
      // The indexes know every document: the places they give are not places among the readable ones.
      ...(everyDocument ? collectionIndex(entry) : {}),
      present,
    });
  },
  databasesCreateDocument: (ctx) => {
    const { params, tx } = ctx;
    // Parameters are checked before the route runs: a refused permission string comes first.
    const sent = permissionsParam(params.permissions, ITEM_ACTIONS);
    const fields = userData(params.data);
    if (Object.keys(fields).length === 0) fail('document_missing_data');
    const { entry, access } = scope(ctx);
    const permissions = sent ?? creatorPermissions(access.userId);
    checkGrantable(access, permissions);
    // @note Only the collection grants create: document security does not matter, and documents hold no create.
    authorize(grants(access, entry.model.$permissions, 'create'));
    const id = resolveId(params.documentId);
    const document = newDocument(entry, id, fields, permissions);
    const collectionId = String(entry.model.$id);
    writeRelations(relationWrites(ctx, access, 'create'), collectionId, document, fields, null);
    const answer = documentView(viewScope(ctx, access), collectionId, document, { selects: [], written: true });
    tx.create(entry.documents, id, document, documentRef(params, id), answer);
    return json(201, answer);
  },
  databasesGetDocument: (ctx) => {
    const { params } = ctx;
    const { entry, access } = scope(ctx);
    const document = need(entry.documents, params.documentId, 'document_not_found');
    // A document the caller may not read is not found, never refused.
    if (!documentGrants(access, entry, document, 'read')) fail('document_not_found');
    return json(200, documentView(viewScope(ctx, access), String(entry.model.$id), document, { selects: selectsOf(parseQueries(params.queries)) }));
  },
  databasesUpdateDocument: (ctx) => {
    const { params, tx } = ctx;
    const permissions = permissionsParam(params.permissions, ITEM_ACTIONS);
    const fields = userData(params.data);
    if (Object.keys(fields).length === 0 && permissions === null) fail('document_missing_payload');
    const { entry, access } = scope(ctx);
    // Read permission is not needed to update.
    const document = need(entry.documents, params.documentId, 'document_not_found');
    if (permissions !== null) checkGrantable(access, permissions);
    const next = merged(entry, document, fields, permissions);
    const collectionId = String(entry.model.$id);
    const views = viewScope(ctx, access);
    // @note An update that changes nothing needs no permission and writes nothing (e2e DatabasesCustomClientTest:705-733 at 1.5.0).
    if (!changes(views.db.collections, document, next, relationEnds(views.db.collections, collectionId), fields))
      return json(200, documentView(views, collectionId, document, { selects: [], written: true }));
    authorize(documentGrants(access, entry, document, 'update'));
    writeRelations(relationWrites(ctx, access, 'update'), collectionId, next, fields, document);
    const id = document.$id as string;
    const answer = documentView(views, collectionId, next, { selects: [], written: true });
    tx.replace(entry.documents, id, next, documentRef(params, id), answer);
    return json(200, answer);
  },
  databasesDeleteDocument: (ctx) => {
    const { params, tx } = ctx;
    const { entry, access } = scope(ctx);
    const id = params.documentId as string;
    const document = need(entry.documents, id, 'document_not_found');
    authorize(documentGrants(access, entry, document, 'delete'));
    deleteRelations(relationWrites(ctx, access, 'update'), String(entry.model.$id), document);
    tx.delete(entry.documents, id, documentRef(params, id), document);
    return noContent();
  },
};
