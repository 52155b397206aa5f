import { isoDate } from './ids.js';
import { parsePhpDatetime } from './php-datetime.js';
import { fail } from './state-failure.js';
import type { Query } from './query.js';

/** What a filter needs to know of an attribute: its type, and whether it holds a list. */
export interface AttributeType {
  readonly type: string;
  readonly array: boolean;
}

/** Appwrite's limit on the values of one filter (utopia-php/database 0.48.4 Validator/Query/Filter.php). */
const MAX_VALUES = 100;
const ONE_VALUE = new Set(['notEqual', 'lessThan', 'lessThanEqual', 'greaterThan', 'greaterThanEqual', 'search', 'startsWith', 'endsWith']);

const refuse = (message: string): never => fail('general_query_invalid', `Invalid query: ${message}`);
const named = (method: string) => method.charAt(0).toUpperCase() + method.slice(1);

/** How many values each filter takes, checked before its attribute (Filter.php isValid at 0.48.4). */
export function checkValueCount(query: Query): void {
  const { method, values } = query;
  if ((method === 'equal' || method === 'contains') && (values.length === 0 || (Array.isArray(values[0]) && values[0].length === 0)))
    refuse(`${named(method)} queries require at least one value.`);
  if (ONE_VALUE.has(method) && values.length !== 1) refuse(`${named(method)} queries require exactly one value.`);
  if (method === 'between' && values.length !== 2) refuse('Between queries require exactly two values.');
}

/**
 * The values of a filter checked against its attribute's type (Filter.php isValidAttributeAndValues at 0.48.4),
 * datetimes written as stored (UTC, Appwrite's format) so that they compare with what documents hold.
 */
export function checkValues(query: Query, schema: ReadonlyMap<string, AttributeType>): Query {
  const top = query.attribute.split('.')[0] ?? query.attribute;
  const attribute = schema.get(query.attribute) ?? schema.get(top);
  if (!attribute) return query;
  if (query.values.length > MAX_VALUES) refuse(`Query on attribute has greater than ${MAX_VALUES} values: ${top}`);
  const values = query.values.map((value) => {
    const checked = valueOf(attribute.type, value);
    if (checked === undefined) refuse(`Query value is invalid for attribute "${top}"`);
    return checked;
  });
  if (!attribute.array && query.method === 'contains' && attribute.type !== 'string')
    refuse(`Cannot query contains on attribute "${top}" because it is not an array or string.`);
  if (attribute.array && !['contains', 'isNull', 'isNotNull'].includes(query.method))
    refuse(`Cannot query ${query.method} on attribute "${top}" because it is an array.`);
  return { ...query, values };
}

/** The value as the filter compares it, or undefined when the attribute's validator refuses it. */
function valueOf(type: string, value: unknown): unknown {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'integer':
      return Number.isInteger(value) ? value : undefined;
    case 'double':
      return typeof value === 'number' ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'datetime': {
      const date = typeof value === 'string' && value !== '' ? parsePhpDatetime(value) : null;
      return date ? isoDate(date) : undefined;
    }
    default:
      return value;
  }
}
