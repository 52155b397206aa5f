import { json, noContent } from './reply.js';
import type { CollectionEntry, DatabaseEntry, Model, StateData } from './state-data.js';
import type { StateRequest, StateRoutes } from './state-request.js';
import { claim, created, listReply, need, update } from './table.js';

/** The collection model as Appwrite answers it, with its attributes and indexes. */
export function collectionView(entry: CollectionEntry): Model {
  return { ...entry.model, attributes: [...entry.attributes.values()], indexes: [...entry.indexes.values()] };
}

export function database(data: StateData, id: unknown): DatabaseEntry {
  return need(data.databases, id, 'database_not_found');
}

export function collection(data: StateData, params: Record<string, unknown>): CollectionEntry {
  return need(database(data, params.databaseId).collections, params.collectionId, 'collection_not_found');
}

const DATABASE_QUERY = new Set(['name']);
const COLLECTION_QUERY = new Set(['name', 'enabled', 'documentSecurity']);

/** Databases and collections; deleting one deletes what it holds. */
export const databaseRoutes: StateRoutes = {
  databasesList: ({ params }, data) =>
    listReply('databases', [...data.databases.values()].map((d) => d.model), params, { noun: 'Database', attributes: DATABASE_QUERY, searchIn: (m) => [String(m.$id), String(m.name)] }),
  databasesCreate: ({ params }, data) => {
    const id = claim(data.databases, params.databaseId, 'database_already_exists');
    const model: Model = Object.assign(created(id), { name: params.name, enabled: params.enabled ?? true });
    data.databases.set(id, { model, collections: new Map() });
    return json(201, model);
  },
  databasesGet: ({ params }, data) => json(200, database(data, params.databaseId).model),
  databasesUpdate: ({ params }, data) => json(200, update(database(data, params.databaseId).model, { name: params.name, enabled: params.enabled })),
  databasesDelete: ({ params }, data) => {
    database(data, params.databaseId);
    data.databases.delete(params.databaseId as string);
    return noContent();
  },

  databasesListCollections: ({ params }, data) =>
    listReply('collections', database(data, params.databaseId).collections.values(), params, {
      noun: 'Collection',
      attributes: COLLECTION_QUERY,
      searchIn: (m) => [String(m.$id), String(m.name)],
      view: collectionView,
    }),
  databasesCreateCollection: ({ params }, data) => {
    const db = database(data, params.databaseId);
    const id = claim(db.collections, params.collectionId, 'collection_already_exists');
    const model: Model = Object.assign(created(id), {
      $permissions: params.permissions ?? [],
      databaseId: db.model.$id,
      name: params.name,
      enabled: params.enabled ?? true,
      documentSecurity: params.documentSecurity ?? false,
    });
    const entry: CollectionEntry = { model, attributes: new Map(), indexes: new Map(), documents: new Map() };
    db.collections.set(id, entry);
    return json(201, collectionView(entry));
  },
  databasesGetCollection: ({ params }, data) => json(200, collectionView(collection(data, params))),
  databasesUpdateCollection: (request: StateRequest, data) => {
    const { params } = request;
    const entry = collection(data, params);
    update(entry.model, { name: params.name, $permissions: params.permissions ?? undefined, documentSecurity: params.documentSecurity, enabled: params.enabled });
    return json(200, collectionView(entry));
  },
  databasesDeleteCollection: ({ params }, data) => {
    collection(data, params);
    database(data, params.databaseId).collections.delete(params.collectionId as string);
    return noContent();
  },
};
