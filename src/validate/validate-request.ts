import type { Caller } from '../auth/caller.js';
import { MFA_GROUP } from '../auth/mfa-group.js';
import { missingScope } from '../auth/scopes.js';
import { APPWRITE_ERRORS } from '../model/appwrite-error.js';
import type { Body, Headers, Query } from '../model/exchange.js';
import type { Finding } from '../model/finding.js';
import type { JsonSchema } from '../spec/json-schema.js';
import type { Operation, Parameter } from '../spec/operation.js';
import type { SchemaValidator } from '../spec/schema-validator.js';
import { coerceJson, coerceText, INVALID } from './coerce.js';
import { appwriteCheck, takesBooleanText } from './appwrite-validators.js';
import { describe, invalidParam, notOptional } from './utopia-messages.js';
import { extendableCopy } from '../model/extendable-copy.js';

/** How Appwrite itself would refuse the request. */
export interface Rejection {
  status: number;
  type: string;
  message: string;
}

export interface RequestCheck {
  findings: Finding[];
  /** Set when a real Appwrite would refuse the request: appwrite-vcr refuses it the same way. */
  rejection: Rejection | null;
  /** Path, query and body parameters as typed values. */
  params: Record<string, unknown>;
}

export interface RequestInput {
  headers: Headers;
  query: Query;
  body: Body | null;
  /** Set when the body was sent as JSON but does not parse. */
  bodyError?: string;
  pathParams: Record<string, string>;
  /** Who is calling (worked out once, by the caller's step). */
  caller: Caller;
}

/** @note Appwrite's ID rule (utopia-php/database Key, Appwrite CustomId): the literal `unique()` is also accepted. */
const CUSTOM_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/;
const CUSTOM_ID_MESSAGE =
  "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";

/** Checks a request against its operation the way Appwrite's router would, and reports drift as findings. */
export function validateRequest(operation: Operation, input: RequestInput, validator: SchemaValidator): RequestCheck {
  const findings: Finding[] = [];
  const params: Record<string, unknown> = extendableCopy(input.pathParams);
  let rejection: Rejection | null = null;
  const reject = (finding: Finding, message: string, status = 400, type = 'general_argument_invalid'): void => {
    findings.push(finding);
    rejection ??= { status, type, message };
  };
  const at = (kind: Finding['kind'], path: string, message: string, value?: unknown, severity: Finding['severity'] = 'error'): Finding => {
    const finding: Finding = { kind, severity, side: 'request', operationId: operation.operationId, path, message };
    if (value !== undefined) finding.value = value;
    return finding;
  };

  const { refusal } = input.caller;
  if (refusal) {
    const known = APPWRITE_ERRORS[refusal.type];
    const message = refusal.message ?? known.description;
    reject(at('parameter-invalid', 'header.credentials', message), message, known.code, refusal.type);
  }
  // @note A spec without Appwrite's `x-appwrite.scope` labels (a custom one) is not checked for scopes.
  const scopeProblem = operation.scope === '' ? null : missingScope(input.caller, operation.scope);
  if (scopeProblem) reject(at('parameter-missing', 'header.credentials', scopeProblem), scopeProblem, 401, 'general_unauthorized_scope');
  // app/controllers/shared/api.php:283-295 at 1.5.0: after the scope, before any parameter (an init hook runs first).
  if (input.caller.moreFactorsRequired === true && !MFA_GROUP.has(operation.operationId)) {
    const { description, code } = APPWRITE_ERRORS.user_more_factors_required;
    reject(at('parameter-invalid', 'header.credentials', description), description, code, 'user_more_factors_required');
  }

  for (const [name, value] of Object.entries(input.pathParams)) {
    // The router matches no empty path segment, so every value here is one.
    const problem = appwriteCheck(operation.operationId, name, true)?.(value) ?? pathListProblem(operation, name, value);
    if (problem) reject(at('parameter-invalid', `path.${name}`, problem, value), `Invalid \`${name}\` param: ${problem}`);
  }
  for (const param of operation.queryParams) {
    const raw = input.query[param.name];
    if (raw === undefined) {
      if (param.required) reject(at('parameter-missing', `query.${param.name}`, notOptional(param.name)), notOptional(param.name));
      continue;
    }
    const value = coerceText(raw, param.schema);
    const problem = value === INVALID ? describe(param.schema) : checkValue(param, value, validator);
    if (problem) reject(at('parameter-invalid', `query.${param.name}`, problem, raw), invalidParam(param.name, param.schema));
    else params[param.name] = value;
  }
  for (const name of Object.keys(input.query)) {
    if (!operation.queryParams.some((p) => p.name === name)) {
      findings.push(at('parameter-unknown', `query.${name}`, `query parameter "${name}" is not declared`, undefined, 'warning'));
    }
  }

  checkBody(operation, input, validator, params, findings, reject, at);
  return { findings, rejection, params };
}

function checkBody(
  operation: Operation,
  input: RequestInput,
  validator: SchemaValidator,
  params: Record<string, unknown>,
  findings: Finding[],
  reject: (finding: Finding, message: string) => void,
  at: (kind: Finding['kind'], path: string, message: string, value?: unknown, severity?: Finding['severity']) => Finding,
): void {
  const declared = operation.requestBody?.content;
  const schema = declared ? (declared.get('application/json') ?? declared.get('multipart/form-data') ?? declared.values().next().value) : undefined;
  let fields: Record<string, unknown> = {};
  let fromText = false;
  const body = input.body;
  if (input.bodyError !== undefined) {
    // @note Appwrite reads an unparsable JSON body as no parameters at all; the first required one then fails.
    const first = schema?.required?.[0];
    const message = first ? notOptional(first) : `Invalid JSON body: ${input.bodyError}`;
    reject(at('body-invalid', '', `request body is not valid JSON: ${input.bodyError}`), message);
    return;
  }
  if (body?.kind === 'json') {
    if (body.value !== null && typeof body.value === 'object' && !Array.isArray(body.value)) {
      fields = body.value as Record<string, unknown>;
    } else if (Array.isArray(body.value) && body.value.length === 0) {
      // @note PHP encodes an empty parameter array as `[]`: the PHP SDK and Appwrite's own clients send it
      // for a call without parameters, and Appwrite reads it as no parameters.
      fields = {};
    } else {
      reject(at('body-invalid', '', 'request body must be a JSON object'), 'Invalid JSON body: the body must be a JSON object');
      return;
    }
  } else if (body?.kind === 'multipart') {
    fromText = true;
    fields = { ...body.fields };
    for (const file of body.files) fields[file.field] = file;
  } else if (body && (body.kind === 'text' || body.kind === 'base64') && schema) {
    findings.push(at('media-type-undeclared', '', 'request body is neither JSON nor multipart'));
  }
  const properties = schema?.properties ?? {};
  for (const name of schema?.required ?? []) {
    // utopia's router refuses a required parameter only when its key is missing (App::getArguments at
    // utopia-php/framework 0.33.2); a present null goes to the validator, which a Nullable one accepts.
    if (!Object.hasOwn(fields, name)) reject(at('parameter-missing', `/${name}`, notOptional(name)), notOptional(name));
  }
  // App::getArguments checks the route's parameters in the order it declares them, which is the spec's.
  for (const name of inDeclaredOrder(fields, properties)) {
    const rawValue = fields[name];
    // Own properties only: `constructor` or `__proto__` in a body must not find a schema on Object.prototype.
    const propertySchema = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (!propertySchema) {
      findings.push(at('parameter-unknown', `/${name}`, `body parameter "${name}" is not declared`, undefined, 'warning'));
      continue;
    }
    if (rawValue === null) {
      const required = (schema?.required ?? []).includes(name);
      if (required && propertySchema['x-nullable'] !== true) {
        // utopia's App::validate names the description of the parameter's own validator (CustomId, Email...).
        const own = isCustomId(propertySchema) ? CUSTOM_ID_MESSAGE : appwriteCheck(operation.operationId, name, false)?.('');
        const message = own ? `Invalid \`${name}\` param: ${own}` : invalidParam(name, propertySchema);
        reject(at('parameter-invalid', `/${name}`, `${describe(propertySchema)}, got null`, null), message);
      } else if (required) params[name] = null;
      continue;
    }
    if (isFilePart(rawValue)) {
      params[name] = rawValue;
      continue;
    }
    // Form fields are text (file parts were taken above); JSON values keep their JSON type.
    const value = fromText
      ? coerceText(rawValue as string | string[], propertySchema)
      : coerceJson(rawValue, propertySchema, takesBooleanText(operation.operationId, name));
    const required = (schema?.required ?? []).includes(name) && !EMPTY_ALLOWED.has(`${operation.operationId}.${name}`);
    const param: Parameter = { name, in: 'query', required, schema: propertySchema };
    // Appwrite's own validator for the parameter, where it asks more than the spec's schema says; it
    // also decides whether an empty string passes (`allowEmpty`).
    const check = appwriteCheck(operation.operationId, name, false);
    const own = check ? check(value) : null;
    const problem = check ? null : value === INVALID ? describe(propertySchema) : checkValue(param, value, validator);
    if (own) {
      reject(at('parameter-invalid', `/${name}`, own, rawValue), `Invalid \`${name}\` param: ${own}`);
    } else if (problem) {
      const message = problem === CUSTOM_ID_MESSAGE ? `Invalid \`${name}\` param: ${CUSTOM_ID_MESSAGE}` : invalidParam(name, propertySchema);
      reject(at('parameter-invalid', `/${name}`, problem, rawValue), message);
    } else {
      params[name] = value;
    }
  }
}

/**
 * Required parameters whose validator takes an empty string, which the spec cannot say: `Email(allowEmpty: true)`,
 * `Phone(allowEmpty: true)` and `Text(128, 0)` (app/controllers/api/users.php:1077, 1191, 1285 at 1.5.0).
 */
const EMPTY_ALLOWED: ReadonlySet<string> = new Set(['usersUpdateName.name', 'usersUpdateEmail.email', 'usersUpdatePhone.number']);

/** The names of a body, the declared ones in the schema's order first, then the others as they came. */
function inDeclaredOrder(fields: Record<string, unknown>, properties: Record<string, JsonSchema>): string[] {
  const declared = Object.keys(properties).filter((name) => Object.hasOwn(fields, name));
  return [...declared, ...Object.keys(fields).filter((name) => !Object.hasOwn(properties, name))];
}

/** The description of the failed validator, or null when the value passes. */
function checkValue(param: Parameter, value: unknown, validator: SchemaValidator): string | null {
  const schema = param.schema;
  // CustomId is `$value == 'unique()' || Key::isValid($value)`, and Key asks is_string first (CustomId.php:21 at 1.5.0).
  if (isCustomId(schema) && value !== 'unique()' && (typeof value !== 'string' || !CUSTOM_ID.test(value))) return CUSTOM_ID_MESSAGE;
  if (param.required && value === '' && schemaType(schema) === 'string') return `${describe(schema)} and at least 1 chars`;
  const issues = validator.checker(schema, { closed: false })(value);
  return issues.length === 0 ? null : describe(schema);
}

/**
 * A path parameter with a list of values is a utopia WhiteList (avatars.php:206-246, account.php:994, 3552 at 1.5.0).
 * Appwrite's lists of lowercase values are not strict, which lowercases the value first; its mixed-case ones (the
 * OAuth2 providers) are strict (WhiteList.php at utopia-php/framework 0.33.2).
 */
function pathListProblem(operation: Operation, name: string, value: string): string | null {
  const schema = operation.pathParams.find((p) => p.name === name)?.schema;
  const list = schema?.enum;
  if (!schema || !Array.isArray(list)) return null;
  const loose = list.every((item) => typeof item === 'string' && item === item.toLowerCase());
  return list.includes(loose ? value.toLowerCase() : value) ? null : describe(schema);
}

function isCustomId(schema: JsonSchema): boolean {
  return typeof schema.description === 'string' && schema.description.includes('Choose a custom ID');
}

function schemaType(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? (schema.type[0] as string) : schema.type;
}

function isFilePart(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'sha256' in value && 'field' in value;
}
