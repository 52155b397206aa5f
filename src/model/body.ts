import { hash } from 'node:crypto';
import type { Body } from './exchange.js';
import { parseJson } from './parse-json.js';

/** The media type without parameters, lower case (`application/json; charset=utf-8` -> `application/json`). */
export function mediaTypeOf(contentType: string | string[] | undefined): string {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  if (!value) return '';
  const semi = value.indexOf(';');
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}

function isTextMediaType(mediaType: string): boolean {
  return mediaType.startsWith('text/') || mediaType === 'application/xml' || mediaType === 'application/x-www-form-urlencoded' || mediaType.endsWith('+xml');
}

export class BodyParseError extends Error {}

/**
 * Decodes bytes into a stored body: JSON as JSON, text as text, anything else as base64.
 * Invalid JSON under a JSON media type throws `BodyParseError` unless `lenient` is set,
 * in which case it is kept as text.
 */
export function decodeBody(bytes: Buffer, mediaType: string, lenient = false): Body | null {
  if (bytes.length === 0) return null;
  if (isJsonMediaType(mediaType)) {
    const text = bytes.toString('utf8');
    try {
      return { kind: 'json', value: parseJson(text) };
    } catch (err) {
      if (lenient) return { kind: 'text', value: text };
      throw new BodyParseError((err as Error).message);
    }
  }
  if (isTextMediaType(mediaType) && isUtf8(bytes)) return { kind: 'text', value: bytes.toString('utf8') };
  return { kind: 'base64', value: bytes.toString('base64') };
}

/**
 * A stored body as it goes on the wire: JSON and text stay strings (Node sends a string answer
 * together with its headers in one write), binary is bytes.
 */
export function wireBody(body: Body | null): Buffer | string {
  if (body === null) return '';
  if (body.kind === 'json') return JSON.stringify(body.value);
  if (body.kind === 'text') return body.value;
  return encodeBody(body);
}

/** Bytes of a stored body, as they would go on the wire. */
export function encodeBody(body: Body | null): Buffer {
  if (body === null) return Buffer.alloc(0);
  switch (body.kind) {
    case 'json':
      return Buffer.from(JSON.stringify(body.value));
    case 'text':
      return Buffer.from(body.value, 'utf8');
    case 'base64':
      return Buffer.from(body.value, 'base64');
    case 'multipart':
      return Buffer.from(JSON.stringify({ fields: body.fields, files: body.files.map(({ base64: _b, ...rest }) => rest) }));
  }
}

export function sha256(bytes: Buffer | string): string {
  // One call, no Hash object: this runs for every generated ID.
  return hash('sha256', bytes, 'hex');
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
