import { parseJson } from '../model/parse-json.js';
import type { JsonSchema } from '../spec/json-schema.js';

const INVALID = Symbol('invalid');
export type Coerced = unknown | typeof INVALID;
export { INVALID };

/**
 * Reads a text value (query string or form field) as the schema's type, as Appwrite's loose
 * validators do: `1`/`true`/`0`/`false` for booleans, decimal text for numbers.
 */
export function coerceText(value: string | string[], schema: JsonSchema): Coerced {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'array') {
    const items = Array.isArray(value) ? value : [value];
    const itemSchema = schema.items ?? { type: 'string' };
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
      return /^[+-]?\d+$/.test(value.trim()) ? Number(value) : INVALID;
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : INVALID;
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
 * JSON bodies: numbers may arrive as numeric text, as utopia's `Range` and `Numeric` accept it; booleans only
 * where the parameter's validator is the loose `Boolean(true)` (`looseBoolean`).
 */
export function coerceJson(value: unknown, schema: JsonSchema, looseBoolean: boolean): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (typeof value === 'string' && (type === 'integer' || type === 'number' || (type === 'boolean' && looseBoolean))) {
    const coerced = coerceText(value, schema);
    return coerced === INVALID ? value : coerced;
  }
  return value;
}
