import type { Body, Query } from '../model/exchange.js';
import { sha256 } from '../model/body.js';
import { canonicalJson } from './canonical-json.js';

export interface MatchableRequest {
  method: string;
  path: string;
  query: Query;
  body: Body | null;
}

/**
 * The identity of a request for matching: method, path, query (array order kept) and body
 * compared by meaning (JSON key order ignored, `{}` the same as no body). Headers never count:
 * user agents, SDK versions and dates differ between runs.
 */
export function requestKey(request: MatchableRequest): string {
  return `${request.method.toUpperCase()} ${request.path}?${canonicalJson(request.query)}#${bodyKey(request.body)}`;
}

function bodyKey(body: Body | null): string {
  if (body === null) return '';
  switch (body.kind) {
    case 'json':
      return isEmptyObject(body.value) ? '' : canonicalJson(body.value);
    case 'text':
      return body.value === '' ? '' : `text:${sha256(body.value)}`;
    case 'base64':
      return body.value === '' ? '' : `bytes:${sha256(Buffer.from(body.value, 'base64'))}`;
    case 'multipart':
      return `multipart:${canonicalJson({ fields: body.fields, files: body.files.map((f) => [f.field, f.filename, f.sha256]) })}`;
  }
}

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;
}
