import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { VcrError } from '../errors/vcr-error.js';
import type { FindingKind, Severity } from '../model/finding.js';
import type { JsonSchema } from './json-schema.js';
import { isObject, type Spec } from './load-spec.js';

type AddFormats = (ajv: Ajv) => Ajv;

/** The formats Appwrite's specs use; `int32` and the like only say how wide a number is, its type is checked. */
const APPWRITE_FORMATS = new Set(['int32', 'int64', 'float', 'double', 'url']);

/**
 * A validator for a spec. ajv-formats (date-time, email, uri...) is loaded only for a spec that uses
 * a format beyond Appwrite's own: none of Appwrite's 1.4 to 1.6 specs does, and every start pays for an import.
 * Each component schema is checked against the JSON Schema meta-schema at load, so that a broken spec
 * fails there, naming the schema, and not at some request later; except the pinned spec's: its sha256
 * is checked when packed and when loaded, the test suite compiles every one of its schemas, and compiling the
 * meta-schema would be a tenth of every start.
 */
export async function schemaValidatorFor(spec: Pick<Spec, 'schemas' | 'formats'> & { pinned?: boolean }): Promise<SchemaValidator> {
  const needsFormats = [...spec.formats].some((format) => !APPWRITE_FORMATS.has(format));
  const checkSchemas = spec.pinned !== true;
  if (!needsFormats) return new SchemaValidator(spec.schemas, undefined, checkSchemas);
  const plugin = (await import('ajv-formats')) as unknown as { default: AddFormats | { default: AddFormats } };
  // ajv-formats ships CommonJS; its default export may arrive wrapped once more.
  const addFormats = typeof plugin.default === 'function' ? plugin.default : plugin.default.default;
  return new SchemaValidator(spec.schemas, addFormats, checkSchemas);
}

/** One way a value fails its schema. */
export interface SchemaIssue {
  kind: FindingKind;
  severity: Severity;
  /** JSON pointer of the offending value inside the validated document. */
  path: string;
  message: string;
  value?: unknown;
}

export type CheckFunction = (value: unknown) => SchemaIssue[];

let nextSpecId = 0;

/**
 * Compiles schemas of one spec with Ajv, once each, on first use.
 * Objects that list their properties and say nothing about others are checked for
 * undeclared fields too; those findings are warnings (the server may send more than the contract says).
 */
export class SchemaValidator {
  readonly #ajv: Ajv;
  readonly #base: string;
  readonly #cache = new WeakMap<object, CheckFunction>();
  readonly #closedCache = new WeakMap<object, CheckFunction>();

  constructor(schemas: Readonly<Record<string, JsonSchema>>, addFormats?: AddFormats, checkSchemas = true) {
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, allowUnionTypes: true, validateSchema: checkSchemas });
    addFormats?.(this.#ajv);
    for (const format of ['int32', 'int64', 'float', 'double']) this.#ajv.addFormat(format, true);
    // @note Appwrite's `url` means "parses as a URL": `http://localhost/ok` is one, though it has no TLD.
    this.#ajv.addFormat('url', { type: 'string', validate: (value: string) => URL.canParse(value) });
    this.#base = `https://appwrite-vcr.invalid/spec-${nextSpecId++}.json`;
    if (checkSchemas) {
      for (const [name, schema] of Object.entries(schemas)) {
        if (this.#ajv.validateSchema(schema) !== true) throw new VcrError('SPEC_INVALID', `Failed to load spec: the schema "${name}" is invalid: ${this.#ajv.errorsText(this.#ajv.errors)}`, { schema: name });
      }
    }
    const closed = closeObjects(structuredClone(schemas) as Record<string, JsonSchema>);
    // The container is not a schema itself (the meta-schema would not look inside `components`): not checked.
    this.#ajv.addSchema({ $id: this.#base, components: { schemas: closed } }, undefined, undefined, false);
  }

  /** A checker for a schema that may `$ref` the spec's components. Compiled on first call, then cached. */
  checker(schema: JsonSchema, options: { closed?: boolean } = {}): CheckFunction {
    const closed = options.closed ?? true;
    const cache = closed ? this.#closedCache : this.#cache;
    let check = cache.get(schema);
    if (!check) {
      let copy = rebase(structuredClone(schema), this.#base);
      if (closed) copy = closeObjects({ root: copy }).root as JsonSchema;
      const validate = this.#ajv.compile(copy);
      check = (value) => (validate(value) ? [] : toIssues(validate, value));
      cache.set(schema, check);
    }
    return check;
  }
}

/** Points local `$ref`s at the registered components document. */
function rebase(schema: JsonSchema, base: string): JsonSchema {
  walk(schema, (node) => {
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) node.$ref = `${base}${node.$ref}`;
  });
  return schema;
}

/** Adds `additionalProperties: false` to objects with listed properties, outside of anyOf/oneOf branches. */
function closeObjects(schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const close = (node: JsonSchema, inBranch: boolean): void => {
    if (!isObject(node)) return;
    if (!inBranch && isObject(node.properties) && node.additionalProperties === undefined) node.additionalProperties = false;
    if (node.properties) for (const child of Object.values(node.properties)) close(child, false);
    if (isObject(node.items)) close(node.items, false);
    if (isObject(node.additionalProperties)) close(node.additionalProperties, false);
    for (const list of [node.anyOf, node.oneOf]) if (Array.isArray(list)) for (const child of list) close(child, true);
    if (Array.isArray(node.allOf)) for (const child of node.allOf) close(child, inBranch);
  };
  for (const schema of Object.values(schemas)) close(schema, false);
  return schemas;
}

function walk(node: unknown, visit: (node: JsonSchema) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
  } else if (isObject(node)) {
    visit(node as JsonSchema);
    for (const child of Object.values(node)) walk(child, visit);
  }
}

function toIssues(validate: ValidateFunction, root: unknown): SchemaIssue[] {
  const errors = validate.errors ?? [];
  // Errors from inside a failed anyOf/oneOf (its branches may be `$ref`s elsewhere) are noise next to
  // the branch failure itself: keep only that one for the value and what lies below it.
  const branchFailures = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const issues: SchemaIssue[] = [];
  for (const error of errors) {
    const inside = branchFailures.some((b) => b !== error && (error.instancePath === b.instancePath || error.instancePath.startsWith(`${b.instancePath}/`)));
    if (!inside) issues.push(toIssue(error, root));
  }
  return issues;
}

function toIssue(error: ErrorObject, root: unknown): SchemaIssue {
  const at = error.instancePath;
  switch (error.keyword) {
    case 'required': {
      const name = String((error.params as { missingProperty: string }).missingProperty);
      return { kind: 'required-missing', severity: 'error', path: `${at}/${escapePointer(name)}`, message: `required field "${name}" is missing` };
    }
    case 'additionalProperties': {
      const name = String((error.params as { additionalProperty: string }).additionalProperty);
      const path = `${at}/${escapePointer(name)}`;
      return { kind: 'field-undeclared', severity: 'warning', path, message: `field "${name}" is not declared by the schema`, value: sample(valueAt(root, path)) };
    }
    case 'type':
      return { kind: 'type-mismatch', severity: 'error', path: at, message: `must be ${String((error.params as { type: string }).type)}`, value: sample(valueAt(root, at)) };
    case 'format':
      return { kind: 'format-mismatch', severity: 'error', path: at, message: `must match format "${String((error.params as { format: string }).format)}"`, value: sample(valueAt(root, at)) };
    case 'enum':
      return { kind: 'enum-mismatch', severity: 'error', path: at, message: `must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`, value: sample(valueAt(root, at)) };
    default:
      return { kind: 'value-invalid', severity: 'error', path: at, message: error.message ?? `fails "${error.keyword}"`, value: sample(valueAt(root, at)) };
  }
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Keeps example values small enough to print. */
export function sample(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 120 ? `${value.slice(0, 117)}...` : value;
  if (value === null || typeof value !== 'object') return value;
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : value;
}
