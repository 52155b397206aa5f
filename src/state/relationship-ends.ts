import type { CollectionEntry, Model, ReadonlyDeep } from './state-data.js';

/**
 * One side of a relationship as a collection's documents hold it. utopia-php/database 0.48.4 gives the related
 * collection a child side for every relationship (Database.php createRelationship); Appwrite lists it as an
 * attribute only when the relationship is two-way, but the child side still stores its link (a one-to-many's
 * parent ID on each child) and still decides what a delete does.
 */
export interface RelationEnd {
  readonly key: string;
  readonly collection: string;
  readonly relatedCollection: string;
  readonly relationType: 'oneToOne' | 'oneToMany' | 'manyToOne' | 'manyToMany';
  readonly twoWay: boolean;
  /** The key of the other side. */
  readonly twoWayKey: string;
  readonly onDelete: 'cascade' | 'restrict' | 'setNull';
  readonly side: 'parent' | 'child';
}

type Collections = ReadonlyMap<string, ReadonlyDeep<CollectionEntry>>;

function endOf(model: Readonly<Model>, collection: string): RelationEnd {
  return {
    key: String(model.key),
    collection,
    relatedCollection: String(model.relatedCollection),
    relationType: model.relationType as RelationEnd['relationType'],
    twoWay: model.twoWay === true,
    twoWayKey: String(model.twoWayKey),
    onDelete: model.onDelete as RelationEnd['onDelete'],
    side: model.side === 'child' ? 'child' : 'parent',
  };
}

/** The relationship ends of a collection, its listed attributes first (in their order), then the unlisted child sides. */
export function relationEnds(collections: Collections, collectionId: string): RelationEnd[] {
  const entry = collections.get(collectionId);
  if (!entry) return [];
  const ends: RelationEnd[] = [];
  for (const model of entry.attributes.values()) if (model.type === 'relationship') ends.push(endOf(model, collectionId));
  for (const [otherId, other] of collections) {
    for (const model of other.attributes.values()) {
      if (model.type !== 'relationship' || model.side !== 'parent' || model.twoWay === true || model.relatedCollection !== collectionId) continue;
      ends.push({ ...endOf(model, collectionId), key: String(model.twoWayKey), relatedCollection: otherId, twoWayKey: String(model.key), side: 'child' });
    }
  }
  return ends;
}

/** The other side of `end`, as the related collection's documents hold it. */
export function otherEnd(end: RelationEnd): RelationEnd {
  return {
    ...end,
    key: end.twoWayKey,
    collection: end.relatedCollection,
    relatedCollection: end.collection,
    twoWayKey: end.key,
    side: end.side === 'parent' ? 'child' : 'parent',
  };
}

/**
 * Where a side keeps its link: a column of its own documents (an ID, or, for a many-to-many's parent, the list
 * of IDs a junction collection would hold), or nothing, the other side's documents pointing back at it.
 */
export function storage(end: RelationEnd): 'one' | 'many' | 'none' {
  switch (end.relationType) {
    case 'oneToOne':
      return end.side === 'parent' || end.twoWay ? 'one' : 'none';
    case 'oneToMany':
      return end.side === 'child' ? 'one' : 'none';
    case 'manyToOne':
      return end.side === 'parent' ? 'one' : 'none';
    case 'manyToMany':
      return end.side === 'parent' ? 'many' : 'none';
  }
}

/** The IDs of the documents `document` is related to through `end`, in the order the links were made. */
export function linkedIds(collections: Collections, end: RelationEnd, document: Readonly<Model>): string[] {
  const own = storage(end);
  if (own !== 'none') return idsIn(document[end.key]);
  const related = collections.get(end.relatedCollection);
  if (!related) return [];
  const out: string[] = [];
  for (const other of related.documents.values()) if (idsIn(other[end.twoWayKey]).includes(String(document.$id))) out.push(String(other.$id));
  return out;
}

export function idsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Whether the relationship is one document to many on this side (its value a list of documents). */
export function isList(end: RelationEnd): boolean {
  return (
    end.relationType === 'manyToMany' ||
    (end.relationType === 'oneToMany' && end.side === 'parent') ||
    (end.relationType === 'manyToOne' && end.side === 'child')
  );
}
