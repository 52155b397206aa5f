import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { VcrError } from '../errors/vcr-error.js';
import type { Interaction } from '../model/interaction.js';
import { requestKey } from '../match/request-key.js';
import { cassettePath } from './cassette-name.js';
import { emptyCassette, parseCassette, stringifyCassette, type CassetteFile, type CassetteMeta } from './cassette-format.js';

/**
 * One cassette in memory: its interactions indexed by request identity (a map lookup, never a scan),
 * and a cursor per identity so that repeated requests replay in recorded order, then repeat the last.
 */
const MAX_BATCH_DELAY_MS = 2_000;

export class Cassette {
  readonly name: string;
  readonly file: string;
  readonly #db: Low<CassetteFile>;
  readonly #index = new Map<string, Interaction[]>();
  readonly #cursors = new Map<string, number>();
  readonly #writeDelayMs: number;
  #lastWriteMs = 0;
  #flush: Promise<void> | null = null;
  #dirty = false;

  constructor(name: string, file: string, db: Low<CassetteFile>, writeDelayMs = 0) {
    this.name = name;
    this.file = file;
    this.#db = db;
    this.#writeDelayMs = writeDelayMs;
    for (const interaction of db.data.interactions) this.#indexInteraction(interaction);
  }

  get size(): number {
    return this.#db.data.interactions.length;
  }

  get interactions(): readonly Interaction[] {
    return this.#db.data.interactions;
  }

  /** The next recording for this identity, or null when there is none. */
  next(key: string): Interaction | null {
    const list = this.#index.get(key);
    if (!list || list.length === 0) return null;
    const cursor = this.#cursors.get(key) ?? 0;
    this.#cursors.set(key, cursor + 1);
    return list[Math.min(cursor, list.length - 1)] ?? null;
  }

  /** True when a recording exists for this identity (without moving the cursor). */
  has(key: string): boolean {
    return (this.#index.get(key)?.length ?? 0) > 0;
  }


  /**
   * Adds an interaction and writes the file atomically. Appends that arrive while a write is
   * under way are written together by the next one; the promise settles once the file holds this one.
   */
  append(interaction: Interaction): Promise<void> {
    this.#db.data.interactions.push(interaction);
    this.#indexInteraction(interaction);
    this.#dirty = true;
    return this.#scheduleFlush();
  }

  #scheduleFlush(): Promise<void> {
    if (this.#flush) return this.#flush.then(() => (this.#dirty ? this.#scheduleFlush() : undefined));
    this.#dirty = false;
    this.#flush = (async () => {
      try {
        if (this.#writeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#batchDelay()));
        await mkdir(dirname(this.file), { recursive: true });
        // Everything appended until now is in this write (lowdb stringifies synchronously).
        this.#dirty = false;
        const started = performance.now();
        await this.#db.write();
        this.#lastWriteMs = performance.now() - started;
      } catch (err) {
        throw new VcrError('CASSETTE_WRITE_FAILED', `Failed to write cassette "${this.file}": ${(err as Error).message}`, { file: this.file }, { cause: err });
      } finally {
        this.#flush = null;
      }
    })();
    return this.#flush;
  }

  /**
   * @note Every write rewrites the whole file (atomic rename), so a long recording's writes grow.
   * Waiting at least nine times as long as the last write took keeps writing under a tenth of the
   * time, whatever the size; a kill loses at most that wait (never more than MAX_BATCH_DELAY_MS).
   */
  #batchDelay(): number {
    return Math.min(MAX_BATCH_DELAY_MS, Math.max(this.#writeDelayMs, 9 * this.#lastWriteMs));
  }

  #indexInteraction(interaction: Interaction): void {
    const key = requestKey(interaction.request);
    const list = this.#index.get(key);
    if (list) list.push(interaction);
    else this.#index.set(key, [interaction]);
  }
}

export interface CassetteStoreOptions {
  dir: string;
  meta: Omit<CassetteMeta, 'createdAt'>;
  /**
   * Milliseconds a write waits for more appends. Every write prints the whole file, so a recorder
   * under steady traffic would otherwise spend its time rewriting a growing cassette. Default 0.
   */
  writeDelayMs?: number;
}

/** Opens cassettes by name inside one folder, through lowdb, once each. */
export class CassetteStore {
  readonly dir: string;
  readonly #meta: Omit<CassetteMeta, 'createdAt'>;
  readonly #writeDelayMs: number;
  readonly #open = new Map<string, Promise<Cassette>>();
  /** Cassettes whose load has finished, for the synchronous path of a request. */
  readonly #ready = new Map<string, Cassette>();

  constructor(options: CassetteStoreOptions) {
    this.dir = options.dir;
    this.#meta = options.meta;
    this.#writeDelayMs = options.writeDelayMs ?? 0;
  }

  /** Throws `CASSETTE_NAME_INVALID` for unsafe names and `CASSETTE_MALFORMED` for broken files (not cached: a fixed file loads on the next call). */
  open(name: string): Promise<Cassette> {
    let pending = this.#open.get(name);
    if (!pending) {
      const loading = this.#load(name);
      pending = loading;
      this.#open.set(name, loading);
      loading.then(
        (cassette) => {
          if (this.#open.get(name) === loading) this.#ready.set(name, cassette);
        },
        () => this.#open.delete(name),
      );
    }
    return pending;
  }

  /** The cassette if it is already loaded, without waiting: most requests need nothing else. */
  peek(name: string): Cassette | undefined {
    return this.#ready.get(name);
  }

  /** Reads a cassette from its file again, dropping what was loaded before (another process may have written it since). */
  reload(name: string): Promise<Cassette> {
    this.#open.delete(name);
    this.#ready.delete(name);
    return this.open(name);
  }


  async #load(name: string): Promise<Cassette> {
    const file = cassettePath(this.dir, name);
    const adapter = new DataFile<CassetteFile>(file, {
      parse: (text) => parseCassette(text, file),
      stringify: stringifyCassette,
    });
    const db = new Low<CassetteFile>(adapter, emptyCassette({ ...this.#meta, createdAt: new Date().toISOString() }));
    try {
      await db.read();
    } catch (err) {
      if (err instanceof VcrError) throw err;
      throw new VcrError('CASSETTE_MALFORMED', `Failed to load cassette "${file}": ${(err as Error).message}`, { file }, { cause: err });
    }
    return new Cassette(name, file, db, this.#writeDelayMs);
  }
}
