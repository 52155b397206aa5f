import { setOwn } from '../model/set-own.js';
import type { JsonSchema } from '../spec/json-schema.js';
import { extendableCopy } from '../model/extendable-copy.js';

/** Values taken from the request, by the response field they fill. */
export type Echo = ReadonlyMap<string, unknown>;

export interface GenerateContext {
  schemas: Readonly<Record<string, JsonSchema>>;
  /** Applied to the top-level object and to the items of list answers. */
  echo: Echo;
  /** Objects of the request spread into free-form answers (a document's `data`, a user's `prefs`). */
  spread: readonly Record<string, unknown>[];
}

const MAX_DEPTH = 8;

const resolved = new WeakMap<JsonSchema, JsonSchema>();

/** The schema a `$ref` chain ends at (cached: the hot path asks for the same ones again and again). */
export function resolveSchema(schema: JsonSchema, schemas: Readonly<Record<string, JsonSchema>>): JsonSchema {
  if (typeof schema.$ref !== 'string') return schema;
  let target = resolved.get(schema);
  if (!target) {
    target = followRefs(schema, schemas);
    resolved.set(schema, target);
  }
  return target;
}

function followRefs(schema: JsonSchema, schemas: Readonly<Record<string, JsonSchema>>): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 16; hops++) {
    const name = current.$ref.replace(/^.*#\/components\/schemas\//, '');
    current = schemas[name] ?? {};
  }
  return current;
}

const templates = new WeakMap<JsonSchema, unknown>();
const NO_ECHO: GenerateContext['echo'] = new Map();

/**
 * A value that fits the schema and looks like Appwrite's: the spec's `x-example` where it fits,
 * the request's own values where a field of the same name exists, and no randomness.
 * The part that does not depend on the request is generated once per schema and shared (frozen).
 */
export function generateFromTemplate(schema: JsonSchema, context: GenerateContext): unknown {
  let template = templates.get(schema);
  if (template === undefined) {
    template = deepFreeze(generateValue(schema, { schemas: context.schemas, echo: NO_ECHO, spread: [] }));
    templates.set(schema, template);
  }
  return echoInto(template, resolveSchema(schema, context.schemas), context);
}

/** A field of an answer's object that the request may fill. */
interface EchoField {
  name: string;
  /** The field's schema, `$ref`s followed. */
  schema: JsonSchema;
  /** For a list of objects: the items' schema, whose items take the request's values too. */
  items: JsonSchema | null;
}

/** The fields of an answer's object schema that `echoInto` may fill, worked out once per schema. */
interface TemplateFields {
  /** The object schema the answer follows (first anyOf/oneOf branch taken, `$ref`s followed). */
  schema: JsonSchema;
  fields: EchoField[];
  /** Free-form objects (a document, prefs) take the request's spread objects. */
  free: boolean;
}

const templateFields = new WeakMap<JsonSchema, TemplateFields>();

function templateFieldsOf(schema: JsonSchema, schemas: GenerateContext['schemas']): TemplateFields {
  const known = templateFields.get(schema);
  if (known) return known;
  let target = schema;
  for (let branch = target.anyOf?.[0] ?? target.oneOf?.[0]; branch; branch = target.anyOf?.[0] ?? target.oneOf?.[0]) target = resolveSchema(branch, schemas);
  const properties = target.properties ?? {};
  const fields = Object.keys(properties).map((name): EchoField => {
    const resolved = resolveSchema(properties[name] as JsonSchema, schemas);
    const items = resolved.type === 'array' && resolved.items ? resolveSchema(resolved.items, schemas) : null;
    return { name, schema: resolved, items: items && (items.type === 'object' || items.properties || items.anyOf || items.oneOf) ? items : null };
  });
  const plan: TemplateFields = { schema: target, fields, free: target.additionalProperties === true || fields.length === 0 };
  templateFields.set(schema, plan);
  return plan;
}

/** Copies only what the request changes: the top-level object and the items of its lists. */
function echoInto(template: unknown, schema: JsonSchema, context: GenerateContext): unknown {
  if (template === null || typeof template !== 'object' || Array.isArray(template)) return template;
  const plan = templateFieldsOf(schema, context.schemas);
  const out = extendableCopy(template as Record<string, unknown>);
  for (const field of plan.fields) {
    const echoed = context.echo.get(field.name);
    if (echoed !== undefined && fits(echoed, field.schema)) {
      out[field.name] = echoed;
    } else if (field.items !== null) {
      const list = out[field.name];
      if (Array.isArray(list)) out[field.name] = list.map((item) => echoInto(item, field.items as JsonSchema, context));
    }
  }
  if (context.spread.length > 0 && plan.free) {
    const properties = plan.schema.properties ?? {};
    for (const extra of context.spread) {
      for (const key of Object.keys(extra)) if (!Object.hasOwn(properties, key)) setOwn(out, key, extra[key]);
    }
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function generateValue(schema: JsonSchema, context: GenerateContext, depth = 0, echoHere = true): unknown {
  const resolved = resolveSchema(schema, context.schemas);
  const branch = resolved.anyOf?.[0] ?? resolved.oneOf?.[0];
  if (branch) return generateValue(branch, context, depth, echoHere);
  if (Array.isArray(resolved.enum) && resolved.enum.length > 0) {
    return resolved.enum.includes(resolved['x-example']) ? resolved['x-example'] : resolved.enum[0];
  }
  const type = typeOf(resolved);
  switch (type) {
    case 'object':
      return depth > MAX_DEPTH ? {} : generateObject(resolved, context, depth, echoHere);
    case 'array': {
      if (depth > MAX_DEPTH) return [];
      const example = resolved['x-example'];
      const items = resolved.items ? resolveSchema(resolved.items, context.schemas) : {};
      if (Array.isArray(example) && example.every((item) => fits(item, items))) return structuredClone(example);
      if (!resolved.items) return [];
      // List answers: items take the request's values too (a session's userId, a document's $databaseId).
      return [generateValue(resolved.items, context, depth + 1, true)];
    }
    case 'integer':
    case 'number': {
      const example = resolved['x-example'];
      if (typeof example === 'number' && (type === 'number' || Number.isInteger(example))) return example;
      if (typeof resolved.default === 'number') return resolved.default;
      return 0;
    }
    case 'boolean':
      return typeof resolved['x-example'] === 'boolean' ? resolved['x-example'] : false;
    case 'string': {
      const example = resolved['x-example'];
      if (typeof example === 'string') return example;
      if (resolved.format === 'url' || resolved.format === 'uri') return 'https://example.com';
      return '';
    }
    default:
      return resolved['x-example'] ?? null;
  }
}

function generateObject(schema: JsonSchema, context: GenerateContext, depth: number, echoHere: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = schema.properties ?? {};
  const names = Object.keys(properties);
  if (names.length === 0) {
    const example = schema['x-example'];
    const base = example && typeof example === 'object' && !Array.isArray(example) ? structuredClone(example as Record<string, unknown>) : {};
    if (echoHere) for (const extra of context.spread) for (const [key, value] of Object.entries(extra)) setOwn(base, key, value);
    return base;
  }
  for (const name of names) {
    const property = properties[name] as JsonSchema;
    const echoed = echoHere ? context.echo.get(name) : undefined;
    if (echoed !== undefined && fits(echoed, resolveSchema(property, context.schemas))) {
      out[name] = structuredClone(echoed);
    } else {
      out[name] = generateValue(property, context, depth + 1, false);
    }
  }
  if (echoHere && schema.additionalProperties === true) {
    for (const extra of context.spread) {
      for (const [key, value] of Object.entries(extra)) if (!Object.hasOwn(properties, key)) setOwn(out, key, structuredClone(value));
    }
  }
  return out;
}

function typeOf(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type[0] as string | undefined;
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  return undefined;
}

/** True when the value has the schema's JSON type (and enum, where there is one). */
export function fits(value: unknown, schema: JsonSchema): boolean {
  if (value === null) return schema.nullable === true;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  switch (typeOf(schema)) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value) && (!schema.items || schema.items.$ref !== undefined || value.every((item) => fits(item, schema.items as JsonSchema)));
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) && schema.properties === undefined;
    default:
      return true;
  }
}
