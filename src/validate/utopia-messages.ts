import type { JsonSchema } from '../spec/json-schema.js';

/**
 * Messages worded as Appwrite's router (utopia-php/framework) words them, so that a test
 * asserting on an Appwrite error message passes against appwrite-vcr too.
 */
export function notOptional(name: string): string {
  return `Param "${name}" is not optional.`;
}

export function invalidParam(name: string, schema: JsonSchema): string {
  return `Invalid \`${name}\` param: ${describe(schema)}`;
}

/** The validator description Appwrite gives for a parameter of this schema. */
export function describe(schema: JsonSchema): string {
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
    case 'array':
      return `Value must a valid array and ${describe(schema.items ?? { type: 'string' })}`;
    case 'object':
      return 'Value must be a valid JSON string';
    default:
      return typeof schema.maxLength === 'number'
        ? `Value must be a valid string and no longer than ${schema.maxLength} chars`
        : 'Value must be a valid string';
  }
}
