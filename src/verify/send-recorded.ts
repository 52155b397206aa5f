import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { decodeBody, mediaTypeOf } from '../model/body.js';
import type { Body, Headers, Query, VcrRequest, VcrResponse } from '../model/exchange.js';
import { headerText } from '../model/header-value.js';
import type { IdPairs } from './id-pairs.js';

/** Headers that describe the recorded connection or body, set anew for the request sent. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'accept-encoding', 'expect', 'upgrade']);

export interface WireRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: Headers;
  body: Buffer;
}

/** Why a recorded request cannot be sent again as it was. */
export class NotReplayable extends Error {}

function queryString(query: Query, ids: IdPairs): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) for (const item of value) parts.push(`${encodeURIComponent(name)}[]=${encodeURIComponent(ids.rewrite(item))}`);
    else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(ids.rewrite(value))}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function multipart(body: Extract<Body, { kind: 'multipart' }>, ids: IdPairs): { bytes: Buffer; contentType: string } {
  const boundary = `----appwrite-vcr-verify-${randomUUID()}`;
  const chunks: Buffer[] = [];
  const part = (head: string, content: Buffer): void => {
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n\r\n`), content, Buffer.from('\r\n'));
  };
  for (const [name, value] of Object.entries(body.fields)) {
    for (const item of Array.isArray(value) ? value : [value]) part(`Content-Disposition: form-data; name="${name}"`, Buffer.from(ids.rewrite(item)));
  }
  for (const file of body.files) {
    if (file.base64 === undefined)
      throw new NotReplayable(
        `the file part "${file.field}" (${file.size} bytes) was larger than the store limit when recorded, so its bytes are not in the cassette`,
      );
    part(
      `Content-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}`,
      Buffer.from(file.base64, 'base64'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { bytes: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The recorded request as it goes on the wire again, with the live IDs in place of the recorded server's. */
export function wireRequest(request: VcrRequest, headers: Headers, ids: IdPairs): WireRequest {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers)) if (!CONNECTION_HEADERS.has(name)) out[name] = value;
  let body: Buffer = Buffer.alloc(0);
  const recorded = request.body;
  if (recorded?.kind === 'json') body = Buffer.from(JSON.stringify(ids.rewriteJson(recorded.value)));
  else if (recorded?.kind === 'text') body = Buffer.from(ids.rewrite(recorded.value));
  else if (recorded?.kind === 'base64') body = Buffer.from(recorded.value, 'base64');
  else if (recorded?.kind === 'multipart') {
    const form = multipart(recorded, ids);
    body = form.bytes;
    out['content-type'] = form.contentType;
  }
  return { method: request.method, url: `${ids.rewrite(request.path)}${queryString(request.query, ids)}`, headers: out, body };
}

/** Sends a request to the server on 127.0.0.1 and reads its whole answer. */
export function send(port: number, wire: WireRequest): Promise<VcrResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: wire.method, path: wire.url, headers: { ...wire.headers, 'content-length': String(wire.body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers = res.headers as Headers;
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers, body: decodeBody(bytes, mediaTypeOf(headerText(headers, 'content-type')), true) });
        });
      },
    );
    req.on('error', reject);
    req.end(wire.body);
  });
}
