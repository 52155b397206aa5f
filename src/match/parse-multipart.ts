import type { Busboy } from 'busboy';
import { lazyRequire } from '../model/lazy-require.js';
import { collectParams } from './parse-query.js';
import type { FilePart, Query } from '../model/exchange.js';
import { sha256 } from '../model/body.js';

export interface ParsedMultipart {
  fields: Query;
  files: FilePart[];
  /** The bytes of each file part, by field name, for the engine (never stored as is). */
  bytes: Map<string, Buffer>;
}

const busboy = lazyRequire<typeof import('busboy')>('busboy');

export class MultipartError extends Error {}

/**
 * Parses a buffered multipart/form-data body with busboy. `permissions[]` and
 * `permissions[0]` fields both become one array, as Appwrite reads them.
 * Bytes are kept as base64 in the stored part only up to `storeLimit`.
 */
export function parseMultipart(body: Buffer, headers: Record<string, string | string[] | undefined>, storeLimit: number): Promise<ParsedMultipart> {
  return new Promise((resolve, reject) => {
    let parser: Busboy;
    try {
      parser = busboy()({ headers: headers as Record<string, string>, limits: { fieldSize: 16 * 1024 * 1024, parts: 1000 } });
    } catch (err) {
      reject(new MultipartError((err as Error).message));
      return;
    }
    const pairs: [string, string][] = [];
    const files: FilePart[] = [];
    const bytes = new Map<string, Buffer>();
    parser.on('field', (name, value) => pairs.push([name, value]));
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      // A part cut short errors on its own stream, not on the parser: unheard, it would end the process.
      stream.on('error', (err: Error) => reject(new MultipartError(err.message)));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        const part: FilePart = {
          field,
          filename: info.filename ?? '',
          contentType: info.mimeType,
          size: data.length,
          sha256: sha256(data),
        };
        if (data.length <= storeLimit) part.base64 = data.toString('base64');
        files.push(part);
        bytes.set(field, data);
      });
    });
    parser.on('error', (err: Error) => reject(new MultipartError(err.message)));
    parser.on('close', () => resolve({ fields: collectParams(pairs), files, bytes }));
    parser.end(body);
  });
}
