import type { JsonSchema } from '../spec/json-schema.js';

/**
 * Messages worded as Appwrite's router (utopia-php/framework 0.33.2, the version Appwrite 1.5.0's composer.lock
 * names) words them, so that a test asserting on an Appwrite error message passes against appwrite-vcr too.
 */
export function notOptional(name: string): string {
  return `Param "${name}" is not optional.`;
}

export function invalidParam(name: string, schema: JsonSchema): string {
  return `Invalid \`${name}\` param: ${describe(schema)}`;
}

/**
 * The validator description Appwrite gives for a parameter of this schema (src/Validator/*.php at 0.33.2):
 * a nullable schema is a `Nullable`, whose description ends in " or null".
 */
export function describe(schema: JsonSchema): string {
  const own = describeOwn(schema);
  return schema.nullable === true || schema['x-nullable'] === true ? `${own} or null` : own;
}

function describeOwn(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `Value must be one of (${schema.enum.map(String).join(', ')})`;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
      return typeof schema.minimum === 'number' && typeof schema.maximum === 'number'
        ? `Value must be a valid range between ${schema.minimum.toLocaleString('en-US')} and ${schema.maximum.toLocaleString('en-US')}`
        : 'Value must be a valid integer';
    case 'number':
      return 'Value must be a valid float';
    case 'boolean':
      return 'Value must be a valid boolean';
    case 'array': {
      const most = Number(schema.maxItems) > 0 ? ` no longer than ${String(schema.maxItems)} items` : '';
      // Items without a schema are strings (describe's default).
      return `Value must a valid array${most} and ${describe(schema.items ?? {})}`;
    }
    case 'object':
      return 'Value must be a valid JSON string';
    default:
      return `Value must be a valid string${lengths(schema)}`;
  }
}

/** Text's length clauses: a schema without lengths says nothing of them (the spec gives none). */
function lengths(schema: JsonSchema): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 0;
  if (min === max) return max === 0 ? '' : ` and exactly ${max} chars`;
  return (min === 0 ? '' : ` and at least ${min} chars`) + (max === 0 ? '' : ` and no longer than ${max} chars`);
}
