import { fail } from './state-failure.js';
import type { Model } from './state-data.js';

/**
 * What Appwrite 1.5.0 checks of a new index, in its order (app/controllers/api/databases.php:2413-2520 at 1.5.0,
 * then utopia-php/database 0.48.4 Validator/Index.php on MariaDB): the collection's index limit, each attribute
 * known (the system ones included) and not a relationship (each is available at once here, so never `attribute_not_available`),
 * then the index validator; a taken key (409) only after.
 * Returns the orders as stored: an array attribute's order is dropped (null).
 */

/** MariaDB's 64 indexes less the six each collection has of its own (Database::INTERNAL_INDEXES). */
const INDEX_LIMIT = 64 - 6;
/** MariaDB's longest index, in characters (Adapter/SQL.php getMaxIndexLength). */
const MAX_INDEX_LENGTH = 768;
/** The length of an index over an array attribute (Database::ARRAY_INDEX_LENGTH). */
const ARRAY_INDEX_LENGTH = 255;

const SYSTEM_ATTRIBUTES: Readonly<Record<string, Model>> = {
  $id: { key: '$id', type: 'string', size: 36, array: false },
  $createdAt: { key: '$createdAt', type: 'datetime', size: 0, array: false },
  $updatedAt: { key: '$updatedAt', type: 'datetime', size: 0, array: false },
};

export interface NewIndex {
  type: string;
  attributes: readonly string[];
  orders: readonly (string | null)[];
}

function invalid(message: string): never {
  return fail('index_invalid', message);
}

function lengthOf(attribute: Readonly<Model>): number {
  if (attribute.array === true) return ARRAY_INDEX_LENGTH;
  if (attribute.type === 'string') return Number(attribute.size ?? 0);
  return attribute.type === 'double' ? 2 : 1;
}

/** Checks a new index over `columns` (the collection's attributes by key) with `existing` indexes; returns its orders. */
export function checkNewIndex(columns: ReadonlyMap<string, Readonly<Model>>, existing: number, index: NewIndex): (string | null)[] {
  if (existing >= INDEX_LIMIT) fail('index_limit_exceeded', 'Index limit exceeded');
  const found = index.attributes.map((name) => {
    const attribute = columns.get(name) ?? SYSTEM_ATTRIBUTES[name];
    if (!attribute) fail('attribute_unknown', `Unknown attribute: ${name}`);
    if (attribute.type === 'relationship') fail('attribute_type_invalid', `Cannot create an index for a relationship attribute: ${name}`);
    return attribute;
  });
  const orders = index.attributes.map((_, i) => (found[i]?.array === true ? null : (index.orders[i] ?? null)));
  if (found.length === 0) invalid('No attributes provided for index');
  const seen = new Set<string>();
  for (const [i, name] of index.attributes.entries()) {
    const pair = `${name}|${index.orders[i] ?? 'ASC'}`.toLowerCase();
    if (seen.has(pair)) invalid('Duplicate attributes provided');
    seen.add(pair);
  }
  if (index.type === 'fulltext')
    for (const attribute of found)
      if (attribute.type !== 'string') invalid(`Attribute "${String(attribute.key)}" cannot be part of a FULLTEXT index, must be of type string`);
  const arrays = found.filter((attribute) => attribute.array === true);
  if (arrays.length > 0 && index.type !== 'key')
    invalid(`"${index.type.charAt(0).toUpperCase()}${index.type.slice(1)}" index is forbidden on array attributes`);
  if (arrays.length > 1) invalid('An index may only contain one array attribute');
  if (index.type !== 'fulltext') {
    const total = found.reduce((sum, attribute) => sum + lengthOf(attribute), 0);
    if (total > MAX_INDEX_LENGTH) invalid(`Index length is longer than the maximum: ${MAX_INDEX_LENGTH}`);
  }
  return orders;
}
