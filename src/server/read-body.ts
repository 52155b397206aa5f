import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

export const NO_BODY = Buffer.alloc(0);

/** HTTP/1.1: a request has a body only when it says how long it is or that it comes in chunks. */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

/** Buffers a request body, refusing it as soon as it passes `limit` bytes (declared or streamed). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // Most requests (every GET of the SDKs) carry no body: skip the stream machinery for them.
  if (!hasBody(req)) {
    req.resume();
    return Promise.resolve(NO_BODY);
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('request aborted')));
  });
}
