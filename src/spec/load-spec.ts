import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { DEFAULT_SPEC } from '../config/defaults.js';
import { VcrError } from '../errors/vcr-error.js';
import { flattenOperations } from './flatten-operations.js';
import type { JsonSchema } from './json-schema.js';
import type { Operation, Parameter, RequestBodySpec, ResponseSpec } from './operation.js';
import { Router } from './router.js';
import { sha256Of, specPin } from './spec-pin.js';

/** A loaded spec: its operations, an index to route requests, and its component schemas. */
export interface Spec {
  /** `info.version`, e.g. `1.5.0`. */
  version: string;
  title: string;
  /** Path of the first server URL, e.g. `/v1`. */
  basePath: string;
  operations: readonly Operation[];
  byId: ReadonlyMap<string, Operation>;
  router: Router;
  /** Component schemas, quirks normalised. `$ref`s inside them stay `#/components/schemas/...`. */
  schemas: Readonly<Record<string, JsonSchema>>;
  /** The tag names in the spec's order. */
  tags: readonly string[];
  /** Every `format` a schema of the spec names. */
  formats: ReadonlySet<string>;
  source: string;
  /** The sha256 of the document's bytes; null for a spec built from an object. */
  sha256: string | null;
  /** True when the document is byte for byte the pinned Appwrite spec (`spec/pin.json`, sha256). */
  pinned: boolean;
}

const CREDENTIAL_SCHEMES = new Set(['Key', 'Session', 'JWT']);

/**
 * Reads a spec file. The bundled spec (the default) must be byte for byte the one `spec/pin.json` pins:
 * a damaged or edited copy is refused, since every answer and every finding would silently depend on it.
 */
export async function loadSpec(file: string): Promise<Spec> {
  const bundled = resolve(file) === DEFAULT_SPEC;
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const fix = bundled
      ? 'The pinned Appwrite spec ships with the package: reinstall appwrite-vcr (in a clone, `npm run spec` fetches it), or pass --spec FILE.'
      : 'Pass --spec FILE with an OpenAPI spec (JSON or YAML), or leave it out for the pinned Appwrite spec.';
    throw new VcrError('SPEC_NOT_FOUND', `Failed to read spec "${file}": ${(err as Error).message}. ${fix}`, { file }, { cause: err });
  }
  const sha256 = sha256Of(bytes);
  const pin = specPin();
  const pinned = pin !== null && sha256 === pin.sha256;
  if (bundled && !pinned) {
    const expected = pin ? `spec/pin.json pins ${pin.sha256}` : 'spec/pin.json, which pins it, cannot be read';
    throw new VcrError('SPEC_INVALID', `Failed to load spec "${file}": its sha256 is ${sha256}, but ${expected}. The bundled Appwrite spec is damaged or was changed: reinstall appwrite-vcr (in a clone, delete the file and run \`npm run spec\`), or pass --spec FILE.`, { file, sha256, expected: pin?.sha256 ?? null });
  }
  const ext = extname(file).toLowerCase();
  // The YAML parser is loaded only for YAML specs: every start pays for what it imports.
  const yaml = ext === '.yaml' || ext === '.yml' ? await import('yaml') : null;
  const spec = buildSpec(parseDocument(bytes.toString('utf8'), file, yaml?.parse), file);
  spec.sha256 = sha256;
  spec.pinned = pinned;
  return spec;
}

/** Parses a spec document already in memory: JSON, or YAML when a YAML parser is given. */
export function parseSpec(text: string, source = '<memory>', parseYaml?: (text: string) => unknown): Spec {
  const spec = buildSpec(parseDocument(text, source, parseYaml), source);
  spec.sha256 = sha256Of(text);
  return spec;
}

function parseDocument(text: string, source: string, parseYaml?: (text: string) => unknown): unknown {
  try {
    return parseYaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new VcrError('SPEC_INVALID', `Failed to parse spec "${source}": ${(err as Error).message}`, { file: source }, { cause: err });
  }
}

/**
 * Builds a spec from a parsed document, which it takes over: schemas are normalised in place and kept,
 * not copied (every caller parses the document afresh, and copying them was a fifth of each start).
 */
export function buildSpec(doc: unknown, source: string): Spec {
  if (!isObject(doc) || typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.') || !isObject(doc.paths)) {
    throw new VcrError('SPEC_INVALID', `Failed to load spec "${source}": not an OpenAPI 3 document (no "openapi: 3.x" or no "paths").`, { file: source });
  }
  const info = isObject(doc.info) ? doc.info : {};
  const components = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
  const formats = new Set<string>();
  const schemas = normaliseSchemas(components as Record<string, JsonSchema>, formats);

  const flattened = flattenOperations(doc as { paths: Record<string, unknown>; security?: unknown });
  const operations: Operation[] = [];
  const router = new Router();
  const byId = new Map<string, Operation>();
  for (const raw of flattened) {
    const operation = toOperation(raw as unknown as Record<string, unknown>, formats);
    operations.push(operation);
    byId.set(operation.operationId, operation);
    router.add(operation);
  }
  const tags = Array.isArray(doc.tags) ? doc.tags.filter(isObject).map((t) => String(t.name)) : [];
  for (const op of operations) if (!tags.includes(op.tag)) tags.push(op.tag);
  return {
    version: typeof info.version === 'string' ? info.version : 'unknown',
    title: typeof info.title === 'string' ? info.title : 'API',
    basePath: basePathOf(doc.servers),
    operations,
    byId,
    router,
    schemas,
    tags,
    formats,
    source,
    sha256: null,
    pinned: false,
  };
}

function toOperation(raw: Record<string, unknown>, formats: Set<string>): Operation {
  const method = String(raw.method).toUpperCase();
  const pathTemplate = String(raw.path);
  const params = (Array.isArray(raw.parameters) ? raw.parameters : []).filter(isObject).map((param) => toParameter(param, formats));
  const xAppwrite = isObject(raw['x-appwrite']) ? raw['x-appwrite'] : {};
  const security = Array.isArray(raw.security) ? raw.security.filter(isObject) : [];
  // @note Appwrite lists every scheme in one requirement, which OpenAPI reads as "all at once";
  // the server accepts the project header plus any one credential, so the schemes are pooled.
  const schemes = new Set(security.flatMap((requirement) => Object.keys(requirement)));
  return {
    operationId: String(raw.operationId ?? `${method} ${pathTemplate}`),
    method,
    pathTemplate,
    tag: Array.isArray(raw.tags) && typeof raw.tags[0] === 'string' ? raw.tags[0] : 'default',
    summary: typeof raw.summary === 'string' ? raw.summary : '',
    appwriteType: typeof xAppwrite.type === 'string' ? xAppwrite.type : '',
    scope: typeof xAppwrite.scope === 'string' ? xAppwrite.scope : '',
    pathParams: params.filter((p) => p.in === 'path'),
    queryParams: params.filter((p) => p.in === 'query'),
    headerParams: params.filter((p) => p.in === 'header'),
    requestBody: toRequestBody(raw.requestBody, formats) ?? graphqlBody(raw),
    responses: toResponses(raw.responses, formats),
    credentials: [...schemes].filter((s) => CREDENTIAL_SCHEMES.has(s)),
    needsProject: schemes.has('Project'),
  };
}

function toParameter(raw: Record<string, unknown>, formats: Set<string>): Parameter {
  const where = raw.in === 'path' || raw.in === 'header' || raw.in === 'cookie' ? raw.in : 'query';
  return {
    name: String(raw.name),
    in: where,
    required: raw.required === true || where === 'path',
    schema: isObject(raw.schema) ? normaliseSchema(raw.schema, formats) : {},
  };
}

function toContent(raw: unknown, formats: Set<string>): Map<string, JsonSchema> {
  const content = new Map<string, JsonSchema>();
  if (!isObject(raw)) return content;
  for (const [mediaType, media] of Object.entries(raw)) {
    // @note 11 Appwrite responses use an empty media type key; the server sends JSON there.
    const type = mediaType.trim() === '' ? 'application/json' : mediaType.toLowerCase();
    const schema = isObject(media) && isObject(media.schema) ? normaliseSchema(media.schema, formats) : {};
    content.set(type, schema);
  }
  return content;
}

function toRequestBody(raw: unknown, formats: Set<string>): RequestBodySpec | null {
  if (!isObject(raw)) return null;
  return { required: raw.required === true, content: toContent(raw.content, formats) };
}

/**
 * @note The GraphQL operations declare no request body, yet every client posts
 * `{"query": ..., "operationName"?, "variables"?}` (the Node SDK sends `query` as an object).
 */
function graphqlBody(raw: Record<string, unknown>): RequestBodySpec | null {
  const tags = Array.isArray(raw.tags) ? raw.tags : [];
  if (!tags.includes('graphql') || String(raw.method).toLowerCase() !== 'post') return null;
  const schema: JsonSchema = {
    type: 'object',
    properties: { query: {}, operationName: { type: 'string' }, variables: { type: 'object' } },
  };
  return { required: false, content: new Map([['application/json', schema]]) };
}

function toResponses(raw: unknown, formats: Set<string>): Map<number, ResponseSpec> {
  const responses = new Map<number, ResponseSpec>();
  if (!isObject(raw)) return responses;
  for (const [code, response] of Object.entries(raw)) {
    const status = Number(code);
    if (!Number.isInteger(status)) continue;
    responses.set(status, { status, content: toContent(isObject(response) ? response.content : undefined, formats) });
  }
  // @note `PUT /account/mfa/challenge` declares a body on a 204; the real server answers it with 200.
  const noContent = responses.get(204);
  if (noContent && noContent.content.size > 0 && !responses.has(200)) {
    responses.set(200, { status: 200, content: noContent.content });
  }
  return responses;
}

function normaliseSchemas(schemas: Record<string, JsonSchema>, formats: Set<string>): Record<string, JsonSchema> {
  for (const name of Object.keys(schemas)) schemas[name] = normaliseSchema(schemas[name] as JsonSchema, formats);
  return schemas;
}

/**
 * In place: folds Appwrite's `x-nullable` into `nullable`, reads `oneOf` as `anyOf`, adds the `format` of a typed
 * schema to `formats` (what the validator must know), and recurses into sub-schemas.
 * @note Appwrite's `oneOf` lists models with no discriminator that overlap: an integer attribute is a valid
 * float attribute too, a string attribute has the shape of an email, URL or IP one. "Exactly one" refuses
 * every such answer of a real 1.5.0 (`databasesGetAttribute`); the SDKs read the list as "one of these models".
 */
function normaliseSchema(schema: JsonSchema, formats: Set<string>): JsonSchema {
  if (!isObject(schema)) return {};
  if (typeof schema.format === 'string' && typeof schema.type === 'string') formats.add(schema.format);
  if (schema['x-nullable'] === true) schema.nullable = true;
  if (Array.isArray(schema.oneOf)) {
    schema.anyOf = [...(schema.anyOf ?? []), ...schema.oneOf];
    delete schema.oneOf;
  }
  if (schema.properties) for (const key of Object.keys(schema.properties)) normaliseSchema(schema.properties[key] as JsonSchema, formats);
  if (isObject(schema.items)) normaliseSchema(schema.items, formats);
  if (isObject(schema.additionalProperties)) normaliseSchema(schema.additionalProperties, formats);
  if (isObject(schema.not)) normaliseSchema(schema.not, formats);
  for (const list of [schema.anyOf, schema.oneOf, schema.allOf]) if (Array.isArray(list)) for (const child of list) normaliseSchema(child, formats);
  return schema;
}

function basePathOf(servers: unknown): string {
  const first = Array.isArray(servers) && isObject(servers[0]) ? servers[0].url : undefined;
  if (typeof first !== 'string') return '';
  let path: string;
  try {
    path = new URL(first, 'http://placeholder').pathname;
  } catch {
    return '';
  }
  return path.replace(/\/+$/, '');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
