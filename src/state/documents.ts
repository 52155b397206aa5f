import { parseJson } from '../model/parse-json.js';
import { setOwn } from '../model/set-own.js';
import { collection } from './databases.js';
import { normalise, structureProblem } from './document-structure.js';
import { isoDate, resolveId } from './ids.js';
import { parseQueries, project } from './query.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import { extendableCopy } from '../model/extendable-copy.js';
import type { CollectionEntry, Model, ReadonlyDeep } from './state-data.js';
import type { StateRoutes } from './state-request.js';
import { listReply, need } from './table.js';
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

/** Appwrite's answer for a document: its attributes (unset ones as their default or null), then the system fields. */
function withDefaults(entry: ReadonlyDeep<CollectionEntry>, data: Model): Model {
  const out: Model = {};
  for (const [key, attribute] of entry.attributes) {
    // Own keys only: an attribute called `constructor` must not find Object's.
    if (attribute.type === 'relationship' && attribute.side === 'child' && !Object.hasOwn(data, key)) continue;
    setOwn(out, key, Object.hasOwn(data, key) ? data[key] : (attribute.default ?? null));
  }
  for (const [key, value] of Object.entries(data)) if (!Object.hasOwn(out, key)) setOwn(out, key, value);
  return out;
}

/**
 * A document as a write answers it: a relationship the request did not set is left out, where reads give it
 * as null (utopia answers a create or update with the document as written; seen in recorded 1.5.0 traffic).
 */
function asWritten(entry: ReadonlyDeep<CollectionEntry>, answer: Model, fields: Readonly<Model>): Model {
  for (const [key, attribute] of entry.attributes) if (attribute.type === 'relationship' && !Object.hasOwn(fields, key)) delete answer[key];
  return answer;
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

/** Fields whose change makes an update one that needs `update` permission (utopia-php/database compares each stored attribute). */
function changes(stored: Readonly<Model>, next: Readonly<Model>): boolean {
  for (const key of new Set([...Object.keys(stored), ...Object.keys(next)])) {
    if (key === '$updatedAt') continue;
    if (JSON.stringify(stored[key] ?? null) !== JSON.stringify(next[key] ?? null)) return true;
  }
  return false;
}

const documentRef = (params: Record<string, unknown>, documentId: string) =>
  ({ resource: 'document', ids: { databaseId: String(params.databaseId), collectionId: String(params.collectionId), documentId } }) as const;

export const documentRoutes: StateRoutes = {
  databasesListDocuments: (ctx) => {
    const { entry, access } = scope(ctx);
    let documents: Iterable<Readonly<Model>> = entry.documents.values();
    // @note Without read on the collection: 401 when document security is off, else only the documents that grant read (the total counts the same).
    if (!grants(access, entry.model.$permissions, 'read')) {
      authorize(entry.model.documentSecurity === true);
      documents = [...entry.documents.values()].filter((document) => grants(access, document.$permissions, 'read'));
    }
    return listReply('documents', documents, ctx.params, { noun: 'Document', attributes: queryAttributes(entry), fulltext: fulltextAttributes(entry) });
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
    const now = isoDate();
    // Extended in place, not spread: a document gets properties later (see extendableCopy).
    const document: Model = Object.assign(withDefaults(entry, fields), {
      $id: id,
      $permissions: permissions,
      $createdAt: now,
      $updatedAt: now,
    });
    validate(entry, document);
    if (entry.documents.has(id)) fail('document_already_exists');
    document.$collectionId = entry.model.$id;
    document.$databaseId = entry.model.databaseId;
    return json(201, asWritten(entry, tx.create(entry.documents, id, document, documentRef(params, id), document), fields));
  },
  databasesGetDocument: (ctx) => {
    const { params } = ctx;
    const { entry, access } = scope(ctx);
    const document = need(entry.documents, params.documentId, 'document_not_found');
    // A document the caller may not read is not found, never refused.
    if (!documentGrants(access, entry, document, 'read')) fail('document_not_found');
    const select = parseQueries(params.queries)
      .filter((q) => q.method === 'select')
      .flatMap((q) => q.values.map(String));
    const out = project(document, select.length > 0 ? select : null);
    return json(200, out === document ? extendableCopy(document as Model) : out);
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
    const { $collectionId, $databaseId } = document;
    // Built key by key, not spread: the stored document gets properties after validation (see extendableCopy).
    const next: Model = {};
    for (const key of Object.keys(document)) if (key !== '$collectionId' && key !== '$databaseId') setOwn(next, key, document[key]);
    for (const key of Object.keys(fields)) setOwn(next, key, fields[key]);
    Object.assign(next, { $permissions: permissions ?? document.$permissions, $updatedAt: isoDate() });
    validate(entry, next);
    const stored: Model = {};
    for (const key of Object.keys(next)) setOwn(stored, key, document[key]);
    // @note An update that changes nothing needs no permission and writes nothing (e2e DatabasesCustomClientTest:705-733 at 1.5.0).
    if (!changes(stored, next)) return json(200, extendableCopy(document as Model));
    authorize(documentGrants(access, entry, document, 'update'));
    const id = document.$id as string;
    return json(
      200,
      asWritten(entry, tx.replace(entry.documents, id, Object.assign(next, { $collectionId, $databaseId }), documentRef(params, id), next), fields),
    );
  },
  databasesDeleteDocument: (ctx) => {
    const { params, tx } = ctx;
    const { entry, access } = scope(ctx);
    const id = params.documentId as string;
    const document = need(entry.documents, id, 'document_not_found');
    authorize(documentGrants(access, entry, document, 'delete'));
    tx.delete(entry.documents, id, documentRef(params, id), document);
    return noContent();
  },
};
