import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { FilePart } from '../model/exchange.js';
import { extendableCopy } from '../model/extendable-copy.js';
import { isoDate, resolveId } from './ids.js';
import { fileBytes, json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import { headerText } from '../model/header-value.js';
import type { BucketEntry, FileEntry, Model, ReadonlyDeep, StateView } from './state-data.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { created, listReply, need } from './table.js';
import type { Tx } from './tx.js';
import { accessOf, authorize, checkGrantable, grants, permissionsParam, type Access } from './access.js';
import { ACTIONS, creatorPermissions, ITEM_ACTIONS, type Action } from '../permissions/index.js';

/** APP_STORAGE_CHUNK_SIZE: the SDKs send files above it in chunks of this size. */
export const CHUNK_SIZE = 5 * 1024 * 1024;
/** _APP_STORAGE_LIMIT's default, the largest file a new bucket accepts. */
const DEFAULT_MAX_FILE_SIZE = 30_000_000;

const bucketRef = (bucketId: string) => ({ resource: 'bucket', ids: { bucketId } }) as const;
const fileRef = (bucketId: string, fileId: string) => ({ resource: 'file', ids: { bucketId, fileId } }) as const;

function bucket(data: StateView, id: unknown): ReadonlyDeep<BucketEntry> {
  return need(data.buckets, id, 'storage_bucket_not_found');
}

/** The bucket of a file route and who asks: a disabled bucket is not found for everyone but a key. */
function scope(ctx: Pick<StateContext, 'caller' | 'data' | 'params'>): { target: ReadonlyDeep<BucketEntry>; access: Access } {
  const access = accessOf(ctx);
  const target = bucket(ctx.data, ctx.params.bucketId);
  if (!access.key && target.model.enabled === false) fail('storage_bucket_not_found');
  return { target, access };
}

/**
 * Appwrite's gate of a file route (storage.php at 1.5.0): the bucket grants `action`, or file security is on
 * and the file must then grant it itself; with neither, 401. Returns whether the file's own permissions decide.
 */
function bucketGate(access: Access, target: ReadonlyDeep<BucketEntry>, action: Action): boolean {
  if (grants(access, target.model.$permissions, action)) return false;
  authorize(target.model.fileSecurity === true);
  return true;
}

/** A file the caller may read; one it may not is not found. */
function readable(ctx: Pick<StateContext, 'caller' | 'data' | 'params'>): ReadonlyDeep<FileEntry> {
  const { target, access } = scope(ctx);
  const perFile = bucketGate(access, target, 'read');
  const entry = need(target.files, ctx.params.fileId, 'storage_file_not_found');
  if (perFile && !grants(access, entry.model.$permissions, 'read')) fail('storage_file_not_found');
  return entry;
}

function updatedFile(tx: Tx, model: Readonly<Model>): Model {
  return tx.record('update', fileRef(String(model.bucketId), String(model.$id)), model);
}

/**
 * The type Appwrite finds in the bytes themselves (`getFileMimeType`, libmagic, storage.php:537 at 1.5.0); the
 * type the client declared is not used. Magic numbers of the formats previews and browsers care about, then
 * text (JSON, SVG, HTML, else plain), else `application/octet-stream`.
 */
function mimeTypeOf(bytes: Buffer): string {
  const hex = bytes.subarray(0, 12).toString('hex');
  if (hex.startsWith('89504e470d0a1a0a')) return 'image/png';
  if (hex.startsWith('ffd8ff')) return 'image/jpeg';
  if (hex.startsWith('47494638')) return 'image/gif';
  if (hex.startsWith('52494646') && hex.slice(16, 24) === '57454250') return 'image/webp';
  if (hex.startsWith('25504446')) return 'application/pdf';
  if (hex.startsWith('504b0304')) return 'application/zip';
  if (hex.startsWith('1f8b')) return 'application/gzip';
  const text = textOf(bytes);
  if (text === null) return 'application/octet-stream';
  const head = text.trimStart().slice(0, 256).toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'image/svg+xml';
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'text/html';
  if ((head.startsWith('{') || head.startsWith('[')) && isJson(text)) return 'application/json';
  return 'text/plain';
}

/** The bytes as text when they are UTF-8 without control characters other than tabs and line breaks. */
function textOf(bytes: Buffer): string | null {
  if (bytes.length === 0) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? null : text;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function bucketFields(params: Record<string, unknown>): Record<string, unknown> {
  return {
    $permissions: permissionsParam(params.permissions, ACTIONS) ?? undefined,
    // @note As in Appwrite's update route: fileSecurity false and enabled true when not sent (storage.php at 1.5.0).
    fileSecurity: params.fileSecurity ?? false,
    name: params.name,
    enabled: params.enabled ?? true,
    maximumFileSize: params.maximumFileSize,
    allowedFileExtensions: params.allowedFileExtensions,
    compression: params.compression,
    encryption: params.encryption,
    antivirus: params.antivirus,
  };
}

/** Bytes of a complete file (its chunks are joined into one when the last arrives). */
function contentOf(entry: ReadonlyDeep<FileEntry>): Buffer {
  return entry.chunks.length === 1 ? (entry.chunks[0] as Buffer) : Buffer.concat(entry.chunks);
}

/**
 * An upload, whole or one chunk of it. Chunks carry `Content-Range: bytes START-END/TOTAL` and,
 * from the second on, `X-Appwrite-Id`; the file is complete once every chunk has arrived.
 */
function upload(ctx: StateContext): Model {
  const { params, tx, files, headers } = ctx;
  const sent = permissionsParam(params.permissions, ITEM_ACTIONS);
  const { target, access } = scope(ctx);
  // @note Unlike documents, the bucket's create is checked before the permissions a user grants (storage.php at 1.5.0).
  authorize(grants(access, target.model.$permissions, 'create'));
  const permissions = sent ?? creatorPermissions(access.userId);
  checkGrantable(access, permissions);
  const part = params.file as FilePart | undefined;
  const bytes = files.get('file') ?? Buffer.alloc(0);
  const range = headerText(headers, 'content-range');
  const idHeader = headerText(headers, 'x-appwrite-id');
  if (idHeader === 'unique()') fail('storage_invalid_appwrite_id');
  const id = resolveId(idHeader || params.fileId);
  let start = 0;
  let end = bytes.length - 1;
  let size = bytes.length;
  if (range !== '') {
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range.trim());
    if (!match) fail('storage_invalid_content_range');
    [start, end, size] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (end < start || end >= size || end - start + 1 !== bytes.length) fail('storage_invalid_content_range');
  }
  if (size === 0) fail('storage_file_empty');
  if (size > (target.model.maximumFileSize as number)) fail('storage_invalid_file_size');
  const name = part?.filename ?? '';
  const extensions = target.model.allowedFileExtensions as string[];
  if (extensions.length > 0 && !extensions.includes(extname(name).slice(1).toLowerCase())) fail('storage_file_type_unsupported');
  const chunksTotal = Math.max(1, Math.ceil(size / CHUNK_SIZE));
  let entry = target.files.get(id);
  if (entry && entry.model.chunksUploaded === entry.model.chunksTotal) fail('storage_file_already_exists');
  const bucketId = String(target.model.$id);
  const isNew = !entry;
  if (!entry) {
    const model: Model = Object.assign(created(id), {
      bucketId,
      $permissions: permissions,
      name,
      signature: '',
      mimeType: '',
      sizeOriginal: size,
      chunksTotal,
      chunksUploaded: 0,
    });
    const fresh: FileEntry = { model, chunks: [] };
    tx.link(target.files, id, fresh);
    entry = fresh;
  }
  const index = Math.floor(start / CHUNK_SIZE);
  const chunks = [...entry.chunks];
  const uploaded = (entry.model.chunksUploaded as number) + (chunks[index] === undefined ? 1 : 0);
  chunks[index] = bytes;
  tx.assign(entry, { chunks }, false);
  tx.assign(entry.model, { chunksUploaded: uploaded }, false);
  if (uploaded === entry.model.chunksTotal) {
    const content = Buffer.concat(chunks);
    tx.assign(entry, { chunks: [content] }, false);
    tx.assign(entry.model, { signature: createHash('md5').update(content).digest('hex'), mimeType: mimeTypeOf(content), $updatedAt: isoDate() }, false);
  }
  return tx.record(isNew ? 'create' : 'update', fileRef(bucketId, id), entry.model);
}

function complete(ctx: StateContext): ReadonlyDeep<FileEntry> {
  const entry = readable(ctx);
  // @note A file whose chunks have not all arrived has no content yet: Appwrite answers it as not found.
  if (entry.model.chunksUploaded !== entry.model.chunksTotal) fail('storage_file_not_found');
  return entry;
}

export const storageRoutes: StateRoutes = {
  storageListBuckets: ({ params, data }) =>
    listReply(
      'buckets',
      [...data.buckets.values()].map((b) => b.model),
      params,
      { noun: 'Bucket', route: 'buckets', searchIn: (m) => [String(m.$id), String(m.name)] },
    ),
  storageCreateBucket: ({ params, data, tx }) => {
    const id = resolveId(params.bucketId);
    if (data.buckets.has(id)) fail('storage_bucket_already_exists');
    const model: Model = Object.assign(created(id), {
      $permissions: permissionsParam(params.permissions, ACTIONS) ?? [],
      fileSecurity: params.fileSecurity ?? false,
      name: params.name,
      enabled: params.enabled ?? true,
      maximumFileSize: params.maximumFileSize ?? DEFAULT_MAX_FILE_SIZE,
      allowedFileExtensions: params.allowedFileExtensions ?? [],
      compression: params.compression ?? 'none',
      encryption: params.encryption ?? true,
      antivirus: params.antivirus ?? true,
    });
    return json(201, tx.create(data.buckets, id, { model, files: new Map() }, bucketRef(id), model));
  },
  storageGetBucket: ({ params, data }) => json(200, extendableCopy(bucket(data, params.bucketId).model as Model)),
  storageUpdateBucket: ({ params, data, tx }) => {
    const entry = bucket(data, params.bucketId);
    tx.assign(entry.model, bucketFields(params));
    return json(200, tx.record('update', bucketRef(String(entry.model.$id)), entry.model));
  },
  storageDeleteBucket: ({ params, data, tx }) => {
    const entry = bucket(data, params.bucketId);
    const bucketId = String(entry.model.$id);
    tx.delete(data.buckets, bucketId, bucketRef(bucketId), entry.model);
    tx.cascade(() => {
      for (const f of entry.files.values()) tx.record('delete', fileRef(bucketId, String(f.model.$id)), f.model);
    });
    return noContent();
  },
  storageListFiles: (ctx) => {
    const { target, access } = scope(ctx);
    const perFile = bucketGate(access, target, 'read');
    const models = [...target.files.values()].map((f) => f.model).filter((model) => !perFile || grants(access, model.$permissions, 'read'));
    return listReply('files', models, ctx.params, { noun: 'File', route: 'files', searchIn: (m) => [String(m.$id), String(m.name)] });
  },
  storageCreateFile: (ctx) => json(201, upload(ctx)),
  storageGetFile: (ctx) => json(200, extendableCopy(readable(ctx).model as Model)),
  storageUpdateFile: (ctx) => {
    const { params, tx } = ctx;
    const permissions = permissionsParam(params.permissions, ITEM_ACTIONS);
    const { target, access } = scope(ctx);
    const perFile = bucketGate(access, target, 'update');
    // Read permission is not needed to update.
    const entry = need(target.files, params.fileId, 'storage_file_not_found');
    if (permissions !== null) checkGrantable(access, permissions);
    const name = params.name ?? entry.model.name;
    const next = permissions ?? entry.model.$permissions;
    // @note Like a document, a file update that changes nothing needs no permission (utopia-php/database updateDocument).
    if (name === entry.model.name && JSON.stringify(next) === JSON.stringify(entry.model.$permissions)) return json(200, extendableCopy(entry.model as Model));
    if (perFile) authorize(grants(access, entry.model.$permissions, 'update'));
    tx.assign(entry.model, { name, $permissions: next });
    return json(200, updatedFile(tx, entry.model));
  },
  storageDeleteFile: (ctx) => {
    const { params, tx } = ctx;
    const { target, access } = scope(ctx);
    const perFile = bucketGate(access, target, 'delete');
    const entry = need(target.files, params.fileId, 'storage_file_not_found');
    if (perFile) authorize(grants(access, entry.model.$permissions, 'delete'));
    tx.delete(target.files, String(entry.model.$id), fileRef(String(params.bucketId), String(entry.model.$id)), entry.model);
    return noContent();
  },
  storageGetFileDownload: (ctx) => {
    const entry = complete(ctx);
    return fileBytes(contentOf(entry), entry.model.mimeType as string, 'attachment', entry.model.name as string);
  },
  storageGetFileView: (ctx) => {
    const entry = complete(ctx);
    return fileBytes(contentOf(entry), entry.model.mimeType as string, 'inline', entry.model.name as string);
  },
  // The stored bytes, once bucket, file and permissions are checked; src/preview/ draws the preview from them.
  storageGetFilePreview: (ctx) => {
    const entry = complete(ctx);
    return fileBytes(contentOf(entry), entry.model.mimeType as string, 'inline', entry.model.name as string);
  },
};
