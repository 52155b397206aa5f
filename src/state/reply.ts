import type { VcrResponse } from '../model/exchange.js';

/** One object for every JSON answer, not one each; frozen, as every header object shared between answers is. */
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });

/** A JSON answer, as Appwrite sends models and lists. */
export function json(status: number, value: unknown): VcrResponse {
  return { status, headers: JSON_HEADERS, body: { kind: 'json', value } };
}

export function noContent(): VcrResponse {
  return { status: 204, headers: {}, body: null };
}

/** File bytes, the way Appwrite's download/view routes send them. */
export function fileBytes(bytes: Buffer, mimeType: string, disposition: 'inline' | 'attachment', name: string): VcrResponse {
  return {
    status: 200,
    headers: {
      'content-type': mimeType || 'application/octet-stream',
      'content-disposition': `${disposition}; filename="${name.replace(/["\\\r\n]/g, '_')}"`,
      'cache-control': 'private, max-age=3888000',
    },
    body: { kind: 'base64', value: bytes.toString('base64') },
  };
}
