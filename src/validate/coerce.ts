import { parseJson } from '../model/parse-json.js';
import type { JsonSchema } from '../spec/json-schema.js';

const INVALID = Symbol('invalid');
export type Coerced = unknown | typeof INVALID;
export { INVALID };

/**
 * PHP's `is_numeric` (PHP 8), which utopia's loose Integer and FloatValidator and its Range ask first: decimal
 * digits with a sign, a point and an exponent, blanks around them (PHP's, not JavaScript's), and no hex, octal,
 * binary or `Infinity`. An integer is the same without point or exponent (`$value + 0` must be an int).
 */
const NUMERIC = /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/;
const INTEGER = /^[ \t\n\r\v\f]*[+-]?\d+[ \t\n\r\v\f]*$/;

/**
 * Reads a text value (query string or form field) as the schema's type, as Appwrite's loose
 * validators do: `1`/`true`/`0`/`false` for booleans, decimal text for numbers.
 */
export function coerceText(value: string | string[], schema: JsonSchema): Coerced {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'array') {
    const items = Array.isArray(value) ? value : [value];
    // Items without a schema are strings (the default below).
    const itemSchema = schema.items ?? {};
    const out: unknown[] = [];
    for (const item of items) {
      const coerced = coerceText(item, itemSchema);
      if (coerced === INVALID) return INVALID;
      out.push(coerced);
    }
    return out;
  }
  if (Array.isArray(value)) return INVALID;
  switch (type) {
    case 'integer':
      return INTEGER.test(value) ? Number(value) : INVALID;
    case 'number':
      return NUMERIC.test(value) ? Number(value) : INVALID;
    case 'boolean':
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return INVALID;
    case 'object':
      try {
        return parseJson(value);
      } catch {
        return INVALID;
      }
    default:
      return value;
  }
}

/**
 * JSON bodies: numbers may arrive as numeric text, as utopia's `Range` and `Numeric` accept it; booleans as text
 * or as 1 and 0 only where the parameter's validator is the loose `Boolean(true)` (`looseBoolean`).
 */
export function coerceJson(value: unknown, schema: JsonSchema, looseBoolean: boolean): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  // Boolean(true) takes the integers 1 and 0 too (Boolean.php at utopia-php/framework 0.33.2).
  if (looseBoolean && type === 'boolean' && (value === 1 || value === 0)) return value === 1;
  if (typeof value === 'string' && (type === 'integer' || type === 'number' || (type === 'boolean' && looseBoolean))) {
    const coerced = coerceText(value, schema);
    return coerced === INVALID ? value : coerced;
  }
  return value;
}
