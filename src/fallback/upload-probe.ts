import { mediaTypeOf } from '../model/body.js';
import type { Headers } from '../model/exchange.js';

/**
 * Whether a request is the probe node-appwrite 12 sends before an upload with a chosen ID: a `GET` of the file
 * with the upload's `multipart/form-data` content type, whose `chunksUploaded` tells it which chunks to skip
 * (node-appwrite 12.0.1 lib/services/storage.js, createFile). Appwrite answers a new ID with 404
 * storage_file_not_found; a file made up from the schema would say its chunks are uploaded, and the SDK would
 * never send the file. So the schema fallback answers the probe as Appwrite answers it for a new ID.
 */
export function isUploadProbe(operationId: string, method: string, headers: Headers): boolean {
  return operationId === 'storageGetFile' && method === 'GET' && mediaTypeOf(headers['content-type']) === 'multipart/form-data';
}
