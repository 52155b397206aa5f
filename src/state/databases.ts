import { extendableCopy } from '../model/extendable-copy.js';
import { json, noContent } from './reply.js';
import type { CollectionEntry, DatabaseEntry, Model, ReadonlyDeep, StateView } from './state-data.js';
import type { StateRoutes } from './state-request.js';
import { claim, created, listReply, need } from './table.js';
import { permissionsParam } from './access.js';
import { ACTIONS } from '../permissions/index.js';
import type { Tx } from './tx.js';

/** The collection model as Appwrite answers it, with its attributes and indexes. */
export function collectionView(entry: ReadonlyDeep<CollectionEntry>): Model {
  return Object.assign(extendableCopy(entry.model as Model), { attributes: [...entry.attributes.values()], indexes: [...entry.indexes.values()] });
}

export function database(data: StateView, id: unknown): ReadonlyDeep<DatabaseEntry> {
  return need(data.databases, id, 'database_not_found');
}

export function collection(data: StateView, params: Record<string, unknown>): ReadonlyDeep<CollectionEntry> {
  return need(database(data, params.databaseId).collections, params.collectionId, 'collection_not_found');
}

export const databaseRef = (databaseId: string) => ({ resource: 'database', ids: { databaseId } }) as const;
export const collectionRef = (databaseId: string, collectionId: string) => ({ resource: 'collection', ids: { databaseId, collectionId } }) as const;

/** Deletes a collection with its documents, each recorded as a cascade. */
export function deleteCollection(tx: Tx, db: ReadonlyDeep<DatabaseEntry>, entry: ReadonlyDeep<CollectionEntry>): void {
  const databaseId = String(db.model.$id);
  const collectionId = String(entry.model.$id);
  tx.delete(db.collections, collectionId, collectionRef(databaseId, collectionId), collectionView(entry));
  tx.cascade(() => {
    for (const [documentId, document] of entry.documents)
      tx.record('delete', { resource: 'document', ids: { databaseId, collectionId, documentId } }, document);
  });
}

/** Databases and collections; deleting one deletes what it holds. */
export const databaseRoutes: StateRoutes = {
  databasesList: ({ params, data }) =>
    listReply(
      'databases',
      [...data.databases.values()].map((d) => d.model),
      params,
      { noun: 'Database', route: 'databases', searchIn: (m) => [String(m.$id), String(m.name)] },
    ),
  databasesCreate: ({ params, data, tx }) => {
    const id = claim(data.databases, params.databaseId, 'database_already_exists');
    const model: Model = Object.assign(created(id), { name: params.name, enabled: params.enabled ?? true });
    return json(201, tx.create(data.databases, id, { model, collections: new Map() }, databaseRef(id), model));
  },
  databasesGet: ({ params, data }) => json(200, extendableCopy(database(data, params.databaseId).model as Model)),
  databasesUpdate: ({ params, data, tx }) => {
    const { model } = database(data, params.databaseId);
    tx.assign(model, { name: params.name, enabled: params.enabled });
    return json(200, tx.record('update', databaseRef(String(model.$id)), model));
  },
  databasesDelete: ({ params, data, tx }) => {
    const db = database(data, params.databaseId);
    tx.delete(data.databases, String(db.model.$id), databaseRef(String(db.model.$id)), db.model);
    tx.cascade(() => {
      for (const entry of db.collections.values()) deleteCollection(tx, db, entry);
    });
    return noContent();
  },

  databasesListCollections: ({ params, data }) =>
    listReply('collections', database(data, params.databaseId).collections.values(), params, {
      noun: 'Collection',
      route: 'collections',
      searchIn: (m) => [String(m.$id), String(m.name)],
      view: collectionView,
    }),
  databasesCreateCollection: ({ params, data, tx }) => {
    const db = database(data, params.databaseId);
    const id = claim(db.collections, params.collectionId, 'collection_already_exists');
    const model: Model = Object.assign(created(id), {
      $permissions: permissionsParam(params.permissions, ACTIONS) ?? [],
      databaseId: db.model.$id,
      name: params.name,
      enabled: params.enabled ?? true,
      documentSecurity: params.documentSecurity ?? false,
    });
    const entry: CollectionEntry = { model, attributes: new Map(), indexes: new Map(), documents: new Map() };
    return json(201, tx.create(db.collections, id, entry, collectionRef(String(db.model.$id), id), collectionView(entry)));
  },
  databasesGetCollection: ({ params, data }) => json(200, collectionView(collection(data, params))),
  databasesUpdateCollection: ({ params, data, tx }) => {
    const entry = collection(data, params);
    // @note Appwrite's update route defaults documentSecurity to false and enabled to true when they are not sent (databases.php at 1.5.0).
    tx.assign(entry.model, {
      name: params.name,
      $permissions: permissionsParam(params.permissions, ACTIONS) ?? undefined,
      documentSecurity: params.documentSecurity ?? false,
      enabled: params.enabled ?? true,
    });
    return json(200, tx.record('update', collectionRef(String(params.databaseId), String(entry.model.$id)), collectionView(entry)));
  },
  databasesDeleteCollection: ({ params, data, tx }) => {
    deleteCollection(tx, database(data, params.databaseId), collection(data, params));
    return noContent();
  },
};
