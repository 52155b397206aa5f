import type { Sharp } from 'sharp';

/**
 * A file preview drawn as Appwrite 1.5.0 draws it: app/controllers/api/storage.php (`GET .../preview`) hands the
 * stored image to utopia-php/image 0.6.1 (Imagick) and calls, in this order, crop, opacity, background, border,
 * border radius and rotation, then writes the output format at the quality asked. Here sharp (libvips) does the
 * drawing; the geometry follows Image.php's arithmetic, so sizes and crops agree, while pixels may differ by
 * rounding between the two engines.
 */
export interface PreviewOptions {
  width: number;
  height: number;
  gravity: string;
  quality: number;
  borderWidth: number;
  /** Hex without `#`, or empty. */
  borderColor: string;
  borderRadius: number;
  opacity: number;
  rotation: number;
  background: string;
  /** jpg, jpeg, png, gif or webp; empty: the file's own. */
  output: string;
}

/** What Appwrite previews (app/config/storage/inputs.php at 1.5.0); other files get a logo there. */
const INPUTS = new Set(['image/jpeg', 'image/gif', 'image/png']);
/** app/config/storage/outputs.php at 1.5.0. */
const OUTPUTS: Readonly<Record<string, string>> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', png: 'image/png', webp: 'image/webp' };

export function canPreview(mimeType: string): boolean {
  return INPUTS.has(mimeType);
}

/** The output format: the one asked, else the file's extension, else its media type (storage.php at 1.5.0). */
export function outputFormat(asked: string, fileName: string, mimeType: string, acceptsWebp: boolean): string {
  let output = asked;
  // A browser that does not say it takes webp gets jpg.
  if (output === 'webp' && !acceptsWebp) output = 'jpg';
  if (output !== '') return output;
  const dot = fileName.lastIndexOf('.');
  const extension = dot === -1 ? '' : fileName.slice(dot + 1).toLowerCase();
  if (extension !== '') return extension in OUTPUTS ? extension : 'jpg';
  return Object.keys(OUTPUTS).find((key) => OUTPUTS[key] === mimeType) ?? 'jpg';
}

export function contentTypeOf(output: string): string {
  return OUTPUTS[output] ?? 'image/jpeg';
}

interface Frame {
  image: Sharp;
  width: number;
  height: number;
}

type SharpFactory = typeof import('sharp');

/** A step's result as a new image, so that each step sees the one before it done (libvips reorders otherwise). */
async function settle(make: SharpFactory, image: Sharp): Promise<Frame> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { image: make(data, { raw: { width: info.width, height: info.height, channels: info.channels } }), width: info.width, height: info.height };
}

/** Image.php crop(): the target size keeps the aspect when one side is 0; center gravity fills and crops, others scale then cut. */
async function crop(make: SharpFactory, frame: Frame, options: PreviewOptions): Promise<Frame> {
  const aspect = frame.width / frame.height;
  let width = options.width;
  let height = options.height;
  if (width === 0) width = Math.trunc(height * aspect);
  if (height === 0) height = Math.trunc(width / aspect);
  if (width === 0 && height === 0) {
    width = frame.width;
    height = frame.height;
  }
  if (options.gravity === 'center') return settle(make, frame.image.resize(width, height, { fit: 'cover', position: 'centre' }));
  // @note Image.php multiplies by the aspect on both branches (`$width * $originalAspect`): followed as written.
  const [resizeWidth, resizeHeight] = width > height ? [width, Math.trunc(width * aspect)] : [Math.trunc(height * aspect), height];
  const offsets: Record<string, [number, number]> = {
    'top-left': [0, 0],
    top: [resizeWidth / 2 - width / 2, 0],
    'top-right': [resizeWidth - width, 0],
    left: [0, resizeHeight / 2 - height / 2],
    right: [resizeWidth - width, resizeHeight / 2 - height / 2],
    'bottom-left': [0, resizeHeight - height],
    bottom: [resizeWidth / 2 - width / 2, resizeHeight - height],
    'bottom-right': [resizeWidth - width, resizeHeight - height],
  };
  const [x, y] = (offsets[options.gravity] ?? [resizeWidth / 2 - width / 2, resizeHeight / 2 - height / 2]).map((n) => Math.trunc(n)) as [number, number];
  const scaled = await settle(make, frame.image.resize(Math.max(1, resizeWidth), Math.max(1, resizeHeight), { fit: 'fill' }));
  // Imagick's cropImage keeps what of the region lies on the image.
  const left = Math.min(Math.max(0, x), scaled.width - 1);
  const top = Math.min(Math.max(0, y), scaled.height - 1);
  const cut = { left, top, width: Math.max(1, Math.min(width, scaled.width - left)), height: Math.max(1, Math.min(height, scaled.height - top)) };
  return settle(make, scaled.image.extract(cut));
}

function roundedRect(width: number, height: number, inset: number, radius: number, fill: string, stroke?: { color: string; width: number }): Buffer {
  const right = inset > 0 ? width - (inset + 1) : width - 1;
  const bottom = inset > 0 ? height - (inset + 1) : height - 1;
  const line = stroke ? ` stroke="${stroke.color}" stroke-width="${stroke.width}"` : '';
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="${inset}" y="${inset}" width="${Math.max(0, right - inset)}" height="${Math.max(0, bottom - inset)}" rx="${radius}" ry="${radius}" fill="${fill}"${line}/></svg>`,
  );
}

function hex(color: string): string {
  return /^([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) ? `#${color}` : '#000000';
}

/** Draws the preview of `source`; `output` is one of the formats `outputFormat` gives. */
export async function renderPreview(source: Buffer, options: PreviewOptions, output: string): Promise<Buffer> {
  const make = (await import('sharp')).default;
  // EXIF orientation applied first (Image.php applies it when it writes; the size asked is of the image as seen).
  let frame = await settle(make, make(source).rotate());
  frame = await crop(make, frame, options);
  if (options.opacity !== 1) frame = await settle(make, frame.image.removeAlpha().ensureAlpha(options.opacity));
  if (options.background !== '') frame = await settle(make, frame.image.flatten({ background: hex(options.background) }));
  if (options.borderWidth > 0 && options.borderRadius === 0) {
    const b = options.borderWidth;
    frame = await settle(make, frame.image.extend({ top: b, bottom: b, left: b, right: b, background: hex(options.borderColor) }));
  }
  if (options.borderRadius > 0) {
    const { width, height } = frame;
    const b = options.borderWidth;
    const mask = roundedRect(width, height, b, options.borderRadius, '#000');
    frame = await settle(make, frame.image.composite([{ input: mask, blend: 'dest-in' }]));
    if (b > 0) {
      const ring = roundedRect(width, height, b, options.borderRadius, 'none', { color: hex(options.borderColor), width: b });
      frame = await settle(
        make,
        make({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).composite([
          { input: ring },
          { input: await frame.image.png().toBuffer() },
        ]),
      );
    }
  }
  if (options.rotation !== 0) frame = await settle(make, frame.image.rotate((options.rotation + 360) % 360, { background: { r: 0, g: 0, b: 0, alpha: 0 } }));
  const quality = Math.max(1, options.quality);
  switch (output) {
    case 'jpg':
    case 'jpeg':
      return frame.image.jpeg({ quality }).toBuffer();
    case 'gif':
      return frame.image.gif().toBuffer();
    case 'webp':
      return frame.image.webp({ quality }).toBuffer();
    default:
      // Image.php: png quality 0-100 scaled to zlib's 0-9 and inverted.
      return frame.image.png({ compressionLevel: 9 - Math.round((options.quality / 100) * 9) }).toBuffer();
  }
}
