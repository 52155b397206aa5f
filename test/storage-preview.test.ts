import { Client, ImageFormat, ImageGravity, Storage } from 'node-appwrite-13';
import { InputFile } from 'node-appwrite-13/file';
import sharp from 'sharp';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

/**
 * Previews as Appwrite 1.5.0 draws them (app/controllers/api/storage.php `GET .../preview` with utopia-php/image 0.6.1):
 * the geometry of Image.php's crop, then opacity, background, border, radius and rotation, in the output asked.
 */
let server: TestServer;
let storage: Storage;

beforeEach(async () => {
  server = await startTestServer();
  storage = new Storage(new Client().setEndpoint(server.endpoint).setProject('preview').setKey('preview-key'));
  await storage.createBucket('pics', 'Pics');
});

afterEach(async () => {
  await server.stop();
});

/** A 200×100 PNG: red on the left half, blue on the right. */
async function halves(): Promise<Buffer> {
  const red = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 200, height: 100, channels: 3, background: '#0000ff' } })
    .composite([{ input: red, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

async function upload(name: string, bytes: Buffer): Promise<void> {
  await storage.createFile('pics', name.replace(/\W/g, '_'), InputFile.fromBuffer(bytes, name));
}

async function pixel(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 4;
  return [...data.subarray(at, at + 4)];
}

const near = (actual: number[], expected: number[]) => actual.every((v, i) => Math.abs(v - (expected[i] ?? 0)) <= 8);

it('resizes keeping the aspect when one side is given, and answers the file’s own format', async () => {
  await upload('halves.png', await halves());
  const preview = Buffer.from(await storage.getFilePreview('pics', 'halves_png', 50));
  expect(await sharp(preview).metadata()).toMatchObject({ format: 'png', width: 50, height: 25 });
  const res = await server.call('GET', '/storage/buckets/pics/files/halves_png/preview?width=50');
  expect(res.headers.get('content-type')).toBe('image/png');
  expect(res.headers.get('expires')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  expect(res.headers.get('content-disposition')).toBeNull();
});

it('fills and crops at the center, or cuts at the gravity asked after scaling as Image.php scales', async () => {
  await upload('halves.png', await halves());
  const center = Buffer.from(await storage.getFilePreview('pics', 'halves_png', 50, 50));
  expect(await sharp(center).metadata()).toMatchObject({ width: 50, height: 50 });
  // The middle of the wide image: red on the left, blue on the right.
  expect(near(await pixel(center, 5, 25), [255, 0, 0, 255])).toBe(true);
  expect(near(await pixel(center, 45, 25), [0, 0, 255, 255])).toBe(true);
  const left = Buffer.from(await storage.getFilePreview('pics', 'halves_png', 50, 50, ImageGravity.Left));
  // Image.php: width == height, so the image is scaled to (50 * 2, 50) and the left 50×50 is kept: all red.
  expect(await sharp(left).metadata()).toMatchObject({ width: 50, height: 50 });
  expect(near(await pixel(left, 45, 25), [255, 0, 0, 255])).toBe(true);
  const right = Buffer.from(await storage.getFilePreview('pics', 'halves_png', 50, 50, ImageGravity.Right));
  expect(near(await pixel(right, 5, 25), [0, 0, 255, 255])).toBe(true);
});

it('writes the output asked at its quality, and jpg for webp when the client does not accept webp', async () => {
  await upload('halves.png', await halves());
  const jpg = Buffer.from(
    await storage.getFilePreview(
      'pics',
      'halves_png',
      100,
      0,
      undefined,
      90,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      ImageFormat.Jpg,
    ),
  );
  expect((await sharp(jpg).metadata()).format).toBe('jpeg');
  const asked = '/storage/buckets/pics/files/halves_png/preview?output=webp';
  const withoutWebp = await server.call('GET', asked, { headers: { accept: 'image/png' } });
  expect(withoutWebp.headers.get('content-type')).toBe('image/jpeg');
  const withWebp = await server.call('GET', asked, { headers: { accept: 'image/avif,image/webp,*/*' } });
  expect(withWebp.headers.get('content-type')).toBe('image/webp');
  expect((await sharp(Buffer.from(await withWebp.arrayBuffer())).metadata()).format).toBe('webp');
});

it('draws a border around, rounds the corners, sets the opacity, fills the background and rotates', async () => {
  await upload('halves.png', await halves());
  const bordered = Buffer.from(await storage.getFilePreview('pics', 'halves_png', 40, 20, undefined, undefined, 5, '00ff00'));
  expect(await sharp(bordered).metadata()).toMatchObject({ width: 50, height: 30 });
  expect(near(await pixel(bordered, 1, 1), [0, 255, 0, 255])).toBe(true);
  const rounded = Buffer.from(await storage.getFilePreview('pics', 'halves_png', 100, 50, undefined, undefined, undefined, undefined, 20));
  expect((await pixel(rounded, 0, 0))[3]).toBe(0);
  expect(near(await pixel(rounded, 25, 25), [255, 0, 0, 255])).toBe(true);
  // Imagick's setImageAlpha sets every pixel's alpha to the opacity.
  const faded = Buffer.from(await storage.getFilePreview('pics', 'halves_png', 20, 10, undefined, undefined, undefined, undefined, undefined, 0.5));
  expect(Math.abs(((await pixel(faded, 5, 5))[3] ?? 0) - 128)).toBeLessThanOrEqual(1);
  // The background shows through the faded image and the result is flattened.
  const onWhite = Buffer.from(
    await storage.getFilePreview('pics', 'halves_png', 20, 10, undefined, undefined, undefined, undefined, undefined, 0, undefined, 'ffffff'),
  );
  expect(near(await pixel(onWhite, 5, 5), [255, 255, 255, 255])).toBe(true);
  const turned = Buffer.from(await storage.getFilePreview('pics', 'halves_png', 40, 20, undefined, undefined, undefined, undefined, undefined, undefined, 90));
  expect(await sharp(turned).metadata()).toMatchObject({ width: 20, height: 40 });
  // Turned a quarter clockwise, the red left half is on top.
  expect(near(await pixel(turned, 10, 5), [255, 0, 0, 255])).toBe(true);
});

it('answers a file that is not an image with its bytes, and an image it cannot read with 400 storage_file_type_unsupported', async () => {
  await upload('notes.txt', Buffer.from('plain text'));
  const text = await server.call('GET', '/storage/buckets/pics/files/notes_txt/preview?width=10');
  expect(text.status).toBe(200);
  expect(Buffer.from(await text.arrayBuffer()).toString()).toBe('plain text');
  await upload('broken.png', Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('not really a png')]));
  const broken = await server.call('GET', '/storage/buckets/pics/files/broken_png/preview');
  expect(broken.status).toBe(400);
  expect(await broken.json()).toMatchObject({ code: 400, type: 'storage_file_type_unsupported' });
});
