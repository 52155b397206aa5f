import { setOwn } from '../model/set-own.js';
import { resolveId } from './ids.js';
import { idsIn, linkedIds, otherEnd, relationEnds, storage, type RelationEnd } from './relationship-ends.js';
import { MAX_DEPTH } from './relationship-view.js';
import { fail } from './state-failure.js';
import type { CollectionEntry, DatabaseEntry, Model, ReadonlyDeep } from './state-data.js';
import type { Tx } from './tx.js';

/** What the document routes lend the relationship writes: the database, the request's writer, and their own document rules. */
export interface RelationWrites {
  readonly db: ReadonlyDeep<DatabaseEntry>;
  readonly tx: Tx;
  /** The route: a create answers Appwrite's own permission check for the related documents it carries. */
  readonly route: 'create' | 'update';
  /** Refuses (401) unless the caller may `action` in the collection, or on `document` where it has document security. */
  readonly authorize: (entry: ReadonlyDeep<CollectionEntry>, action: 'create' | 'update' | 'delete', document: Readonly<Model> | null) => void;
  /** A new document of `entry` from what a request sent, checked as the create route checks it (not stored). */
  readonly build: (entry: ReadonlyDeep<CollectionEntry>, id: string, fields: Readonly<Model>, permissions: string[]) => Model;
  /** `document` with `fields` written over it, checked as the update route checks it (not stored). */
  readonly merge: (entry: ReadonlyDeep<CollectionEntry>, document: Readonly<Model>, fields: Readonly<Model>) => Model;
}

const INVALID = 'Server Error';
const ref = (db: ReadonlyDeep<DatabaseEntry>, collectionId: string, documentId: string) =>
  ({ resource: 'document', ids: { databaseId: String(db.model.$id), collectionId, documentId } }) as const;

/**
 * Turns the relationship values a request sent for `document` (IDs, documents, lists of them, null) into links:
 * related documents given in full are created or updated, and each side's link is written where it is kept
 * (utopia-php/database 0.48.4 createDocumentRelationships and updateDocumentRelationships). `document` is the
 * document about to be stored; `stored` is what it was before an update.
 */
export function writeRelations(
  w: RelationWrites,
  collectionId: string,
  document: Model,
  sent: Readonly<Model>,
  stored: Readonly<Model> | null,
  depth = 1,
): void {
  for (const end of relationEnds(w.db.collections, collectionId)) {
    const own = storage(end);
    if (!Object.hasOwn(sent, end.key)) {
      if (stored === null && own === 'one') document[end.key] = null;
      continue;
    }
    const value = sent[end.key];
    delete document[end.key];
    // Past the depth utopia writes to, a related document's own relationships are left as they are.
    if (depth >= MAX_DEPTH) {
      if (stored !== null && own !== 'none') setOwn(document, end.key, stored[end.key]);
      continue;
    }
    const before = stored === null ? [] : linkedIds(w.db.collections, end, stored);
    // A null list leaves the list as it is; a null single relationship unlinks it.
    if (value === null && own !== 'one' && stored !== null && end.relationType !== 'oneToOne') {
      if (own === 'many') setOwn(document, end.key, stored[end.key]);
      continue;
    }
    const after = value === null ? [] : related(w, end, value, document, depth);
    link(w, end, document, before, after);
  }
}

/** The IDs of the related documents a value stands for, creating or updating those given in full. */
function related(w: RelationWrites, end: RelationEnd, value: unknown, document: Readonly<Model>, depth: number): string[] {
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  const entry = w.db.collections.get(end.relatedCollection);
  const ids: string[] = [];
  for (const item of items) {
    // @note Anything but a document, an ID or a list of them is utopia's DatabaseException, which Appwrite answers 500.
    if (typeof item === 'string') {
      if (entry?.documents.has(item)) ids.push(item);
    } else if (item !== null && typeof item === 'object' && !Array.isArray(item) && entry) {
      ids.push(upsert(w, entry, end, item as Model, document, depth));
    } else fail('general_unknown', INVALID, 500);
  }
  return [...new Set(ids)];
}

/** Creates a related document given in full, or writes what was given over the existing one; its ID. */
function upsert(w: RelationWrites, entry: ReadonlyDeep<CollectionEntry>, end: RelationEnd, item: Model, parent: Readonly<Model>, depth: number): string {
  const id = typeof item.$id === 'string' && item.$id !== '' ? resolveId(item.$id) : resolveId('unique()');
  const fields: Model = {};
  for (const [key, value] of Object.entries(item)) if (!key.startsWith('$')) setOwn(fields, key, value);
  const collectionId = String(entry.model.$id);
  const existing = entry.documents.get(id);
  if (!existing) {
    w.authorize(entry, 'create', null);
    // A related document with no permissions of its own takes its parent's.
    const permissions = Array.isArray(item.$permissions) ? (item.$permissions as string[]) : [...((parent.$permissions as string[] | undefined) ?? [])];
    const created = w.build(entry, id, fields, permissions);
    writeRelations(w, collectionId, created, fields, null, depth + 1);
    // Created with its link back to the parent in place, as utopia's relateDocuments sets it before the create.
    const back = otherEnd(end);
    const kept = storage(back);
    if (kept !== 'none') created[back.key] = kept === 'many' ? [String(parent.$id)] : String(parent.$id);
    w.tx.cascade(() => w.tx.create(entry.documents, id, created, ref(w.db, collectionId, id), created));
    return id;
  }
  // @note The create route lets a related document it would update through only where the related collection has
  // document security and grants update (app/controllers/api/databases.php:2832-2847 at 1.5.0).
  if (w.route === 'create' && entry.model.documentSecurity !== true) fail('user_unauthorized');
  const next = w.merge(entry, existing, fields);
  writeRelations(w, collectionId, next, fields, existing, depth + 1);
  if (JSON.stringify(next) !== JSON.stringify(existing)) {
    w.authorize(entry, 'update', existing);
    w.tx.cascade(() => w.tx.replace(entry.documents, id, next, ref(w.db, collectionId, id), next));
  }
  return id;
}

/** Writes the links of `document` through `end` from `before` to `after`, on whichever side keeps them. */
function link(w: RelationWrites, end: RelationEnd, document: Model, before: readonly string[], after: readonly string[]): void {
  const own = storage(end);
  const id = String(document.$id);
  if (own === 'many') {
    document[end.key] = [...after];
    return;
  }
  if (own === 'one') {
    const next = after[0] ?? null;
    if (next !== null) unique(w, end, id, next);
    document[end.key] = next;
    // A two-way one-to-one keeps its link on both sides.
    if (end.relationType === 'oneToOne' && end.twoWay) relink(w, otherEnd(end), id, before, next === null ? [] : [next]);
    return;
  }
  relink(w, otherEnd(end), id, before, after);
}

/** The related documents that keep the link (`other` is their side): those dropped point back no more, those added do. */
function relink(w: RelationWrites, other: RelationEnd, id: string, before: readonly string[], after: readonly string[]): void {
  const entry = w.db.collections.get(other.collection);
  if (!entry) return;
  const many = storage(other) === 'many';
  const write = (relatedId: string, linked: boolean) => {
    const target = entry.documents.get(relatedId);
    if (!target) return;
    const kept = idsIn(target[other.key]).filter((item) => item !== id);
    const value = many ? (linked ? [...kept, id] : kept) : linked ? id : null;
    if (JSON.stringify(target[other.key] ?? null) === JSON.stringify(value)) return;
    w.tx.assign(target, { [other.key]: value });
    w.tx.cascade(() => w.tx.record('update', ref(w.db, other.collection, relatedId), target));
  };
  for (const relatedId of before) if (!after.includes(relatedId)) write(relatedId, false);
  for (const relatedId of after) if (!before.includes(relatedId)) write(relatedId, true);
}

/** A one-to-one links a document to one other at most (the unique index utopia puts on its link). */
function unique(w: RelationWrites, end: RelationEnd, id: string, relatedId: string): void {
  if (end.relationType !== 'oneToOne') return;
  const entry = w.db.collections.get(end.collection);
  for (const other of entry?.documents.values() ?? []) if (other.$id !== id && other[end.key] === relatedId) fail('document_already_exists');
}

/**
 * What deleting `document` does to its relationships, by each one's `onDelete` (Database.php deleteRestrict,
 * deleteSetNull and deleteCascade at 0.48.4): `restrict` refuses while a parent still has related documents,
 * `setNull` unlinks them, `cascade` deletes them too. `deleted` holds the documents this delete already took.
 */
export function deleteRelations(w: RelationWrites, collectionId: string, document: Readonly<Model>, deleted = new Set<string>()): void {
  const id = String(document.$id);
  deleted.add(`${collectionId}/${id}`);
  for (const end of relationEnds(w.db.collections, collectionId)) {
    const ids = linkedIds(w.db.collections, end, document);
    const parentSide = end.side === 'parent';
    // A parent with related documents (a many-to-one's: a child with parents) may not go while the relationship restricts.
    if (end.onDelete === 'restrict' && ids.length > 0 && (end.relationType === 'manyToOne' ? !parentSide : parentSide)) fail('document_delete_restricted');
    if (end.onDelete === 'cascade' && cascades(end)) {
      const entry = w.db.collections.get(end.relatedCollection);
      for (const relatedId of ids) {
        const target = entry?.documents.get(relatedId);
        if (!entry || !target || deleted.has(`${end.relatedCollection}/${relatedId}`)) continue;
        w.authorize(entry, 'delete', target);
        deleteRelations(w, end.relatedCollection, target, deleted);
        w.tx.cascade(() => w.tx.delete(entry.documents, relatedId, ref(w.db, end.relatedCollection, relatedId), target));
      }
      continue;
    }
    // What keeps pointing at the document is unlinked (the document's own links go with it).
    if (storage(end) === 'none' || (end.relationType === 'oneToOne' && end.twoWay)) relink(w, otherEnd(end), id, ids, []);
  }
}

/** The sides whose related documents a cascade deletes: the one-to-many's parent, the many-to-one's child, one-to-one both ways, a many-to-many's parent. */
function cascades(end: RelationEnd): boolean {
  switch (end.relationType) {
    case 'oneToOne':
      return storage(end) === 'one';
    case 'oneToMany':
      return end.side === 'parent';
    case 'manyToOne':
      return end.side === 'child';
    case 'manyToMany':
      return end.side === 'parent';
  }
}

/**
 * Deleting a relationship attribute deletes the relationship: its other side's attribute, and the links both
 * sides' documents kept (utopia's deleteRelationship; the e2e DatabasesBase.php:4015-4040 at 1.5.0).
 */
export function dropRelationship(tx: Tx, db: ReadonlyDeep<DatabaseEntry>, collectionId: string, model: Readonly<Model>): void {
  const relatedId = String(model.relatedCollection);
  const related = db.collections.get(relatedId);
  const twin = String(model.twoWayKey);
  if (related && related.attributes.get(twin)?.type === 'relationship' && related.attributes.get(twin)?.twoWayKey === model.key) {
    const attributes = related.attributes;
    tx.cascade(() =>
      tx.delete(
        attributes,
        twin,
        { resource: 'attribute', ids: { databaseId: String(db.model.$id), collectionId: relatedId, key: twin } },
        attributes.get(twin)!,
      ),
    );
  }
  for (const document of related?.documents.values() ?? []) if (Object.hasOwn(document, twin)) tx.unset(document, twin);
  for (const document of db.collections.get(collectionId)?.documents.values() ?? [])
    if (Object.hasOwn(document, String(model.key))) tx.unset(document, String(model.key));
}
