import { mediaTypeOf } from '../model/body.js';
import { errorResponse } from '../model/error-response.js';
import type { Headers, VcrResponse } from '../model/exchange.js';
import { headerText } from '../model/header-value.js';
import { canPreview, contentTypeOf, outputFormat, renderPreview, type PreviewOptions } from './render-preview.js';

/** The preview's parameters with Appwrite's defaults (storage.php at 1.5.0, `GET .../preview`). */
function optionsOf(params: Readonly<Record<string, unknown>>): PreviewOptions {
  const number = (name: string, fallback: number): number => (typeof params[name] === 'number' ? (params[name] as number) : fallback);
  const text = (name: string): string => (typeof params[name] === 'string' ? (params[name] as string) : '');
  return {
    width: number('width', 0),
    height: number('height', 0),
    gravity: text('gravity') || 'center',
    quality: number('quality', 100),
    borderWidth: number('borderWidth', 0),
    borderColor: text('borderColor'),
    borderRadius: number('borderRadius', 0),
    opacity: number('opacity', 1),
    rotation: number('rotation', 0),
    background: text('background'),
    output: text('output').toLowerCase(),
  };
}

/**
 * The state's answer to `storageGetFilePreview` (the stored bytes, once bucket, file and permissions are checked)
 * turned into the preview Appwrite draws. A file that is not a JPEG, PNG or GIF is answered as stored: Appwrite
 * draws its file-type logo there, which is Appwrite's artwork, not ours to copy. The file's name comes from the
 * state's `Content-Disposition`.
 */
export async function previewAnswer(stored: VcrResponse, params: Readonly<Record<string, unknown>>, request: Headers, version: string): Promise<VcrResponse> {
  if (stored.status !== 200 || stored.body?.kind !== 'base64') return stored;
  const mimeType = mediaTypeOf(stored.headers['content-type']);
  if (!canPreview(mimeType)) return stored;
  const name = /filename="([^"]*)"/.exec(headerText(stored.headers, 'content-disposition'))?.[1] ?? '';
  const options = optionsOf(params);
  const output = outputFormat(options.output, name, mimeType, headerText(request, 'accept').includes('image/webp'));
  let bytes: Buffer;
  try {
    bytes = await renderPreview(Buffer.from(stored.body.value, 'base64'), options, output);
  } catch (err) {
    // storage.php at 1.5.0: an image Imagick cannot read is 400 storage_file_type_unsupported with its message.
    return errorResponse('storage_file_type_unsupported', version, (err as Error).message);
  }
  const headers: Headers = {
    'content-type': contentTypeOf(output),
    // storage.php at 1.5.0: `date('D, d M Y H:i:s', time() + 30 days) . ' GMT'`, which is HTTP's date.
    expires: new Date(Date.now() + 30 * 24 * 3600 * 1000).toUTCString(),
    'cache-control': headerText(stored.headers, 'cache-control') || 'private, max-age=3888000',
  };
  return { status: 200, headers, body: { kind: 'base64', value: bytes.toString('base64') } };
}
