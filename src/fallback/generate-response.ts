import type { VcrResponse } from '../model/exchange.js';
import { sha256 } from '../model/body.js';
import type { JsonSchema } from '../spec/json-schema.js';
import type { Operation } from '../spec/operation.js';
import { generateFromTemplate, resolveSchema, type GenerateContext } from './generate-value.js';
import { solidPng } from './png.js';

export interface FallbackInput {
  operation: Operation;
  /** Typed path, query and body parameters of the request. */
  params: Readonly<Record<string, unknown>>;
  /** The request's identity, from which IDs the server would make are derived. */
  requestDigest: string;
  schemas: Readonly<Record<string, JsonSchema>>;
}

/** One object for every JSON answer, not one each; frozen, as every header object shared between answers is. */
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });
const DEFAULT_IMAGE_SIZE = 100;
const MAX_IMAGE_SIZE = 2000;

/** Deterministic: the same request gives the same answer, byte for byte. */
export function generateResponse(input: FallbackInput): VcrResponse {
  const { operation } = input;
  const status = successStatus(operation);
  if (operation.appwriteType === 'webAuth') return redirect(input, status);
  if (operation.appwriteType === 'location') return bytesFor(input, status);
  const declared = operation.responses.get(status);
  const schema = declared?.content.get('application/json') ?? declared?.content.values().next().value;
  if (status === 204 || !schema) return { status, headers: {}, body: null };
  const value = generateFromTemplate(schema, contextFor(input, schema));
  fixTotals(value, resolveSchema(schema, input.schemas));
  return { status, headers: JSON_HEADERS, body: { kind: 'json', value } };
}

const successStatuses = new WeakMap<Operation, number>();

/** The first success or redirect status the operation declares. */
function successStatus(operation: Operation): number {
  let status = successStatuses.get(operation);
  if (status === undefined) {
    status = [...operation.responses.keys()].filter((s) => s < 400).sort((a, b) => a - b)[0] ?? 200;
    successStatuses.set(operation, status);
  }
  return status;
}

/** 20 lower-case hex characters, the shape of an ID Appwrite makes for `unique()`. */
export function appwriteIdFrom(seed: string): string {
  return sha256(seed).slice(0, 20);
}

/** What `contextFor` needs of an operation and its answer's schema, worked out once. */
interface EchoPlan {
  isList: boolean;
  properties: Record<string, JsonSchema>;
  bodyNames: Set<string>;
  /** Body fields that may carry the new resource's ID (`userId` on `POST /users`). */
  idFields: string[];
  lastPathParam: string | undefined;
}

/** By operation: the plan reads the operation's body and path too, and an operation always answers with the same schema. */
const plans = new WeakMap<Operation, EchoPlan>();

function planFor(operation: Operation, schema: JsonSchema, schemas: FallbackInput['schemas']): EchoPlan {
  let plan = plans.get(operation);
  if (!plan) {
    const properties = resolveSchema(schema, schemas).properties ?? {};
    const bodyNames = new Set(Object.keys(operation.requestBody?.content.values().next().value?.properties ?? {}));
    plan = {
      isList: Object.hasOwn(properties, 'total'),
      properties,
      bodyNames,
      idFields: [...bodyNames].filter((name) => /Id$/.test(name) && !Object.hasOwn(properties, name)),
      lastPathParam: operation.pathParams.at(-1)?.name,
    };
    plans.set(operation, plan);
  }
  return plan;
}

function contextFor(input: FallbackInput, schema: JsonSchema): GenerateContext {
  const { operation, params } = input;
  const { isList, properties, bodyNames, idFields, lastPathParam } = planFor(operation, schema, input.schemas);
  const echo = new Map<string, unknown>();
  const spread: Record<string, unknown>[] = [];

  for (const name of Object.keys(params)) {
    const value = params[name];
    if (value === undefined || value === null) continue;
    if (bodyNames.has(name) && typeof value === 'object' && !Array.isArray(value) && !('sha256' in value)) {
      spread.push(value as Record<string, unknown>);
      continue;
    }
    echo.set(name, value);
    if (!echo.has(`$${name}`)) echo.set(`$${name}`, value);
  }
  // The resource's own ID: the body's custom ID on create, else the last path parameter.
  const idField = idFields.find((name) => typeof params[name] === 'string');
  if (operation.method === 'POST' && idField) {
    const id = params[idField] as string;
    echo.set('$id', id === 'unique()' ? appwriteIdFrom(input.requestDigest) : id);
  } else if (!isList && lastPathParam && !Object.hasOwn(properties, lastPathParam) && typeof params[lastPathParam] === 'string') {
    echo.set('$id', params[lastPathParam]);
  }
  if (Array.isArray(params.permissions)) echo.set('$permissions', params.permissions);
  return { schemas: input.schemas, echo, spread };
}

/** Lists: `total` is the number of items returned. */
function fixTotals(value: unknown, schema: JsonSchema): void {
  if (!value || typeof value !== 'object' || !schema.properties || !Object.hasOwn(schema.properties, 'total')) return;
  const record = value as Record<string, unknown>;
  const list = Object.keys(schema.properties).find((name) => name !== 'total' && Array.isArray(record[name]));
  if (list) record.total = (record[list] as unknown[]).length;
}

function redirect(input: FallbackInput, status: number): VcrResponse {
  const success = typeof input.params.success === 'string' && input.params.success !== '' ? input.params.success : 'http://127.0.0.1/';
  const location = new URL(success, 'http://127.0.0.1/');
  location.searchParams.set('userId', appwriteIdFrom(`${input.requestDigest}:user`));
  location.searchParams.set('secret', appwriteIdFrom(`${input.requestDigest}:secret`));
  return {
    status: status === 200 ? 301 : status,
    headers: { location: location.toString(), 'cache-control': 'no-store, no-cache, must-revalidate, max-age=0', pragma: 'no-cache' },
    body: null,
  };
}

const pngCache = new Map<string, Buffer>();

function png(width: number, height: number, seed: string): Buffer {
  const digest = sha256(seed);
  const rgb = [parseInt(digest.slice(0, 2), 16), parseInt(digest.slice(2, 4), 16), parseInt(digest.slice(4, 6), 16)] as const;
  const key = `${width}x${height}:${rgb.join(',')}`;
  let bytes = pngCache.get(key);
  if (!bytes) {
    bytes = solidPng(width, height, rgb);
    if (pngCache.size > 64) pngCache.delete(pngCache.keys().next().value as string);
    pngCache.set(key, bytes);
  }
  return bytes;
}

function dimension(value: unknown, fallback: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) return fallback;
  return Math.min(value, MAX_IMAGE_SIZE);
}

/** Images and files: avatars are real PNGs of the asked size; downloads carry their disposition. */
function bytesFor(input: FallbackInput, status: number): VcrResponse {
  const { operation, params } = input;
  const path = operation.pathTemplate;
  if (path.endsWith('/download')) {
    const name = typeof params.fileId === 'string' ? params.fileId : typeof params.deploymentId === 'string' ? `${params.deploymentId}.tar.gz` : 'download';
    const body = Buffer.from(`appwrite-vcr generated content for ${path.replace(/\{(\w+)\}/g, (_m, p: string) => String(params[p] ?? p))}\n`);
    return {
      status,
      headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${name}"`, 'content-length': String(body.length) },
      body: { kind: 'base64', value: body.toString('base64') },
    };
  }
  const width = dimension(params.width ?? params.size, DEFAULT_IMAGE_SIZE);
  const height = dimension(params.height ?? params.size, DEFAULT_IMAGE_SIZE);
  const bytes = png(width, height, `${operation.operationId}:${JSON.stringify(params)}`);
  const headers: Record<string, string> = { 'content-type': 'image/png', 'content-length': String(bytes.length) };
  if (path.endsWith('/view')) {
    headers['content-disposition'] = `inline; filename="${String(params.fileId ?? 'file')}.png"`;
    headers['x-content-type-options'] = 'nosniff';
  }
  // app/controllers/api/avatars.php:478-480 at 1.5.0: a QR code asked with `download` comes as an attachment.
  if (operation.operationId === 'avatarsGetQR' && params.download === true) headers['content-disposition'] = 'attachment; filename="qr.png"';
  return { status, headers, body: { kind: 'base64', value: bytes.toString('base64') } };
}
