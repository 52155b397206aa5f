import { fail } from './state-failure.js';
import type { Model } from './state-data.js';

/**
 * Whether a collection has room for one more attribute, as utopia-php/database 0.48.4 checks it on MariaDB
 * (Database::checkAttribute, Adapter/SQL.php getCountOfAttributes and getAttributeWidth), which Appwrite answers
 * 400 attribute_limit_exceeded `Attribute limit exceeded` (app/controllers/api/databases.php:145-153 at 1.5.0).
 */

/** MariaDB's columns per table. */
const COLUMN_LIMIT = 1017;
/** The collection's own columns (Database::INTERNAL_ATTRIBUTES) and one virtual column kept as a buffer. */
const OWN_COLUMNS = 7 + 1;
/** MariaDB's row size, in bytes. */
const ROW_LIMIT = 65535;
/** What the collection's own columns take, with Appwrite's buffer. */
const OWN_WIDTH = 1500;
const MAX_VARCHAR = 16381;

/** The bytes an attribute takes in a MariaDB row. */
function widthOf(attribute: Readonly<Model>): number {
  switch (attribute.type) {
    case 'string': {
      const size = Number(attribute.size ?? 0);
      if (size > 16777215) return 12;
      if (size > 65535) return 11;
      if (size > MAX_VARCHAR) return 10;
      return size > 255 ? size * 4 + 2 : size * 4 + 1;
    }
    case 'integer':
      // databases.php:1388 at 1.5.0: a BIGINT when the maximum is above 2147483647.
      return Number(attribute.max ?? Number.MAX_SAFE_INTEGER) > 2147483647 ? 8 : 4;
    case 'double':
      return 8;
    case 'boolean':
      return 1;
    case 'relationship':
      return 4;
    case 'datetime':
      return 19;
    default:
      return 0;
  }
}

export function checkAttributeRoom(existing: Iterable<Readonly<Model>>, added: Readonly<Model>): void {
  const all = [...existing, added];
  const refuse = (): never => fail('attribute_limit_exceeded', 'Attribute limit exceeded');
  if (all.length + OWN_COLUMNS > COLUMN_LIMIT) refuse();
  if (all.reduce((total, attribute) => total + widthOf(attribute), OWN_WIDTH) >= ROW_LIMIT) refuse();
}
