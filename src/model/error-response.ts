import type { VcrResponse } from './exchange.js';
import { APPWRITE_ERRORS, type AppwriteErrorType } from './appwrite-error.js';

/** An answer in Appwrite's error shape, with `code` equal to the HTTP status. */
export function errorResponse(type: AppwriteErrorType | string, version: string, message?: string, status?: number): VcrResponse {
  const known = (APPWRITE_ERRORS as Record<string, { code: number; description: string }>)[type];
  const code = status ?? known?.code ?? 500;
  return {
    status: code,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-cache, no-store, must-revalidate', expires: '0', pragma: 'no-cache' },
    body: { kind: 'json', value: { message: message ?? known?.description ?? 'Server Error', code, type, version } },
  };
}
