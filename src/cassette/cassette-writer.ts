import { existsSync } from 'node:fs';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { VcrError } from '../errors/vcr-error.js';
import type { Interaction } from '../model/interaction.js';
import { interactionLine, type CassetteFile, type CassetteMeta } from './cassette-format.js';
import { journalHeader, journalPath, readCassette } from './cassette-journal.js';

/**
 * The writes of one cassette file: recordings appended to its journal (coalesced: appends that arrive
 * while a write is under way go out together in the next one), and `fold()`, which writes the whole
 * file. Disk work runs one step at a time: appends and folds never overlap.
 */
export class CassetteWriter {
  readonly #file: string;
  readonly #meta: () => CassetteMeta;
  readonly #writeWhole: (whole: CassetteFile) => Promise<void>;
  /** Interactions not in the journal yet, and the write that will take them. */
  #pending: Interaction[] = [];
  #scheduled: Promise<void> | null = null;
  /** Disk work, one step at a time: journal appends and folds never overlap. */
  #queue: Promise<void> = Promise.resolve();
  #journalOnDisk: boolean;
  /** Interactions appended since the last fold. */
  #unfolded = 0;
  /** The meta in memory says more than the file's (redact rules). */
  #metaChanged = false;
  /** Bytes of the journal that are whole lines this cassette wrote; null: a journal it found (size read before the first append). */
  #journalBytes: number | null;
  /** The last append failed and may have left part of a line after `#journalBytes`. */
  #appendFailed = false;

  /** `journalOnDisk`: a journal holds interactions that the JSON file does not (the next fold writes them). */
  constructor(file: string, meta: () => CassetteMeta, writeWhole: (whole: CassetteFile) => Promise<void>, journalOnDisk: boolean) {
    this.#file = file;
    this.#meta = meta;
    this.#writeWhole = writeWhole;
    this.#journalOnDisk = journalOnDisk;
    this.#journalBytes = journalOnDisk ? null : 0;
  }

  /** The meta says more than the file's: written with the next journal or fold. */
  metaChanged(): void {
    this.#metaChanged = true;
  }

  /** Settles once the journal (or the folded file) holds the interaction. */
  append(interaction: Interaction): Promise<void> {
    this.#unfolded++;
    this.#pending.push(interaction);
    this.#scheduled ??= this.#enqueue(() => this.#writePending());
    return this.#scheduled;
  }

  /**
   * Writes the whole cassette, journal folded in, to its file atomically (a temporary file, then a
   * rename), then removes the journal. Nothing to do when the file already holds everything.
   * The whole is read back from the files, not taken from memory: memory may not hold it all.
   */
  fold(): Promise<void> {
    return this.#enqueue(async () => {
      // The JSON file already holds everything.
      if (this.#unfolded === 0 && !this.#journalOnDisk && !this.#metaChanged) return;
      // Appends from here on go to the next journal, after this fold.
      const folding = this.#unfolded;
      await this.#writePending();
      // Nothing recorded and no file: nothing to write (the first append's journal carries the meta).
      if (!this.#journalOnDisk && !existsSync(this.#file)) return;
      const whole = await readCassette(this.#file);
      whole.meta = this.#meta();
      await this.#writeWhole(whole);
      this.#unfolded -= folding;
      this.#metaChanged = false;
      await rm(journalPath(this.#file), { force: true });
      this.#journalOnDisk = false;
      this.#journalBytes = 0;
      this.#appendFailed = false;
    });
  }
  async #writePending(): Promise<void> {
    this.#scheduled = null;
    if (this.#pending.length === 0) return;
    const lines = this.#pending.map(interactionLine);
    this.#pending = [];
    if (!this.#journalOnDisk) {
      await mkdir(dirname(this.#file), { recursive: true });
      lines.unshift(journalHeader(this.#meta()));
    }
    const path = journalPath(this.#file);
    const text = lines.join('');
    try {
      this.#journalBytes ??= await sizeOf(path);
      // Opened for each write, not held: a recording into hundreds of cassettes holds no file open.
      // Never through a link: one planted in the folder would have the journal written elsewhere.
      const handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW);
      try {
        // A failed append (a full disk) may have left part of a line: cut the journal back to its whole
        // lines first, or the next line would be glued to that part and the journal would no longer read.
        if (this.#appendFailed) await handle.truncate(this.#journalBytes);
        await handle.appendFile(text);
      } finally {
        await handle.close();
      }
    } catch (err) {
      this.#appendFailed = true;
      throw err;
    }
    this.#appendFailed = false;
    this.#journalBytes += Buffer.byteLength(text);
    this.#journalOnDisk = true;
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task).catch((err: unknown) => {
      throw new VcrError('CASSETTE_WRITE_FAILED', `Failed to write cassette "${this.#file}": ${(err as Error).message}`, { file: this.#file }, { cause: err });
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function sizeOf(path: string): Promise<number> {
  return lstat(path).then(
    (info) => info.size,
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      return 0;
    },
  );
}
