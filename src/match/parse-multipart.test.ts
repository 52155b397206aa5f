import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MultipartError, parseMultipart } from './parse-multipart.js';

const BOUNDARY = 'vcr-boundary';
const HEADERS = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

type Part = { name: string; value: string } | { name: string; filename: string; type: string; bytes: Buffer };

function multipart(parts: Part[], end = `--${BOUNDARY}--\r\n`): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    else {
      chunks.push(
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`),
      );
      chunks.push(part.bytes, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(end));
  return Buffer.concat(chunks);
}

const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Multipart bodies as Appwrite's storage and function routes read them. */
describe('multipart parsing', () => {
  it('gathers fields as a query string would, and describes each file by name, type, size and digest', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const parsed = await parseMultipart(
      multipart([
        { name: 'fileId', value: 'f1' },
        { name: 'permissions[]', value: 'read("any")' },
        { name: 'permissions[]', value: 'update("any")' },
        { name: 'file', filename: 'a.bin', type: 'application/octet-stream', bytes },
      ]),
      HEADERS,
      5,
    );
    expect({ ...parsed.fields }).toEqual({ fileId: 'f1', permissions: ['read("any")', 'update("any")'] });
    expect(parsed.files).toEqual([
      { field: 'file', filename: 'a.bin', contentType: 'application/octet-stream', size: 5, sha256: digest(bytes), base64: bytes.toString('base64') },
    ]);
    expect([...parsed.bytes.entries()]).toEqual([['file', bytes]]);
  });

  it('keeps the bytes of a file only up to the store limit, and its description always', async () => {
    const bytes = Buffer.from('123456');
    const parsed = await parseMultipart(multipart([{ name: 'file', filename: 'six.txt', type: 'text/plain', bytes }]), HEADERS, 5);
    expect(parsed.files).toEqual([{ field: 'file', filename: 'six.txt', contentType: 'text/plain', size: 6, sha256: digest(bytes) }]);
    expect(parsed.bytes.get('file')).toEqual(bytes);
    const empty = await parseMultipart(multipart([{ name: 'file', filename: 'empty.txt', type: 'text/plain', bytes: Buffer.alloc(0) }]), HEADERS, 0);
    expect(empty.files).toEqual([{ field: 'file', filename: 'empty.txt', contentType: 'text/plain', size: 0, sha256: digest(Buffer.alloc(0)), base64: '' }]);
  });

  it('reads indexed fields in index order, and a body with no part as no fields', async () => {
    const parsed = await parseMultipart(
      multipart([
        { name: 'n[1]', value: 'b' },
        { name: 'n[0]', value: 'a' },
      ]),
      HEADERS,
      0,
    );
    expect({ ...parsed.fields }).toEqual({ n: ['a', 'b'] });
    const none = await parseMultipart(multipart([]), HEADERS, 0);
    expect({ ...none.fields }).toEqual({});
    expect(none.files).toEqual([]);
  });

  it('takes fields of up to 16 MiB whole, and up to 1000 parts', async () => {
    const long = 'x'.repeat(2 * 1024 * 1024);
    const big = await parseMultipart(multipart([{ name: 'data', value: long }]), HEADERS, 0);
    expect(big.fields.data).toHaveLength(long.length);
    const many = Array.from({ length: 1001 }, (_, i) => ({ name: `n[${i}]`, value: String(i) }));
    const parsed = await parseMultipart(multipart(many), HEADERS, 0);
    expect(parsed.fields.n).toHaveLength(1000);
    expect((parsed.fields.n as string[])[999]).toBe('999');
  });

  it('fails with a MultipartError on a body without a boundary, and on a part cut short', async () => {
    await expect(parseMultipart(Buffer.from('x'), { 'content-type': 'multipart/form-data' }, 0)).rejects.toThrow(MultipartError);
    await expect(parseMultipart(Buffer.from('x'), {}, 0)).rejects.toThrow(/Missing Content-Type/);
    const cut = multipart([{ name: 'file', filename: 'a.txt', type: 'text/plain', bytes: Buffer.from('abc') }], '').subarray(0, -2);
    const field = multipart([{ name: 'fileId', value: 'f1' }], '').subarray(0, -2);
    await expect(parseMultipart(field, HEADERS, 10)).rejects.toThrow(/Unexpected end of form/);
    const failure = parseMultipart(cut, HEADERS, 10);
    await expect(failure).rejects.toThrow(MultipartError);
    await expect(failure).rejects.toThrow(/Unexpected end of form/);
  });
});
