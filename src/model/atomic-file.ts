import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * Replaces a file's content atomically: the text goes to a temporary file beside it, under a fresh
 * name created exclusively (`wx`: a link or a file planted there fails the open, nothing is written
 * through it), which is then renamed over the file (a rename replaces a link, never follows it).
 * A failed write removes its temporary file; the old file is left as it was.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/**
 * A lowdb adapter for a JSON document in a file, written with `writeFileAtomic`.
 * @note lowdb's own `DataFile` writes through steno, whose temporary file has a fixed name
 * (`.<file>.tmp`) opened without `O_EXCL`: a link planted under that name is written through.
 * Writes are not coalesced here: every caller already writes one at a time.
 */
export class AtomicDataFile<T> implements Adapter<T> {
  readonly #file: string;
  readonly #parse: (text: string) => T;
  readonly #stringify: (data: T) => string;

  constructor(file: string, codec: { parse: (text: string) => T; stringify: (data: T) => string }) {
    this.#file = file;
    this.#parse = codec.parse;
    this.#stringify = codec.stringify;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return this.#parse(text);
  }

  write(data: T): Promise<void> {
    return writeFileAtomic(this.#file, this.#stringify(data));
  }
}
