import { existsSync } from 'node:fs';
import { constants } from 'node:fs';
import { lstat, mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { AtomicDataFile } from '../model/atomic-file.js';
import { VcrError } from '../errors/vcr-error.js';
import type { Interaction } from '../model/interaction.js';
import { MatchIgnore } from '../match/match-ignore.js';
import { requestKey } from '../match/request-key.js';
import { cassettePath } from './cassette-name.js';
import { compactHeap, LARGE_CASSETTE } from './compact-heap.js';
import { emptyCassette, interactionLine, parseCassette, stringifyCassette, type CassetteFile, type CassetteMeta } from './cassette-format.js';
import { journalHeader, journalPath, mergeJournal, readCassette, readJournal, type Journal } from './cassette-journal.js';

/**
 * One cassette in memory: its interactions indexed by request identity (a map lookup, never a scan),
 * and a cursor per identity so that repeated requests replay in recorded order, then repeat the last.
 * Recording appends to the cassette's journal and `fold()` writes the whole file (see cassette-journal.ts).
 */
export class Cassette {
  readonly name: string;
  readonly file: string;
  readonly #db: Low<CassetteFile>;
  readonly #index = new Map<string, Interaction[]>();
  /** The recordings of each operation, for finding the nearest ones when a request matches none. */
  readonly #byOperation = new Map<string, Interaction[]>();
  /** What matching leaves out (`meta.matchIgnore` and the rules a server adds). */
  #ignore: MatchIgnore;
  readonly #cursors = new Map<string, number>();
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

  /** `journalOnDisk`: `db` holds a journal's interactions that the JSON file does not (the next fold writes them). */
  constructor(name: string, file: string, db: Low<CassetteFile>, journalOnDisk = false) {
    this.name = name;
    this.file = file;
    this.#db = db;
    this.#journalOnDisk = journalOnDisk;
    this.#journalBytes = journalOnDisk ? null : 0;
    this.#ignore = new MatchIgnore(db.data.meta.matchIgnore ?? []);
    for (const interaction of db.data.interactions) this.#indexInteraction(interaction);
  }

  get size(): number {
    return this.#db.data.interactions.length;
  }

  get interactions(): readonly Interaction[] {
    return this.#db.data.interactions;
  }

  /** The `--redact` rules this cassette was recorded with (`meta.redact`). */
  get redactRules(): readonly string[] {
    return this.#db.data.meta.redact ?? [];
  }

  /** Notes rules a recording into this cassette uses; written with the next journal or fold. */
  addRedactRules(rules: readonly string[]): void {
    const all = [...new Set([...this.redactRules, ...rules])].sort();
    if (all.length === this.redactRules.length) return;
    this.#db.data.meta.redact = all;
    this.#metaChanged = true;
  }

  /** The rules that matching against this cassette leaves out of a request's identity. */
  get matchIgnore(): MatchIgnore {
    return this.#ignore;
  }

  /**
   * Adds rules that matching leaves out, and indexes the recordings again. `persist`: note them in
   * `meta.matchIgnore` too, written with the next journal or fold (a recorder does; a replay server does not).
   */
  addMatchIgnoreRules(rules: readonly string[], persist: boolean): void {
    const all = [...new Set([...this.#ignore.rules, ...rules])].sort();
    if (all.length !== this.#ignore.rules.length) {
      this.#ignore = new MatchIgnore(all);
      this.#index.clear();
      this.#byOperation.clear();
      for (const interaction of this.#db.data.interactions) this.#indexInteraction(interaction);
    }
    const stored = this.#db.data.meta.matchIgnore ?? [];
    if (!persist || rules.every((rule) => stored.includes(rule))) return;
    this.#db.data.meta.matchIgnore = [...new Set([...stored, ...rules])].sort();
    this.#metaChanged = true;
  }

  /** A recording's identity for matching in this cassette. */
  keyOf(interaction: Interaction): string {
    return requestKey(this.#ignore.apply(interaction.request));
  }

  /** The recordings of an operation, in recorded order. */
  recordingsOf(operationId: string): readonly Interaction[] {
    return this.#byOperation.get(operationId) ?? [];
  }

  /** The next recording for this identity, or null when there is none. */
  next(key: string): Interaction | null {
    const list = this.#index.get(key);
    if (!list || list.length === 0) return null;
    const cursor = this.#cursors.get(key) ?? 0;
    this.#cursors.set(key, cursor + 1);
    return list[Math.min(cursor, list.length - 1)] ?? null;
  }

  /** Back to the first recording of every identity. */
  rewind(): void {
    this.#cursors.clear();
  }

  /** True when a recording exists for this identity (without moving the cursor). */
  has(key: string): boolean {
    return (this.#index.get(key)?.length ?? 0) > 0;
  }

  /**
   * Appends an interaction to the journal. Appends that arrive while a write is under way go out
   * together in the next one; the promise settles once the journal (or the folded file) holds it.
   * `keep`: also keep it in memory, to be replayed by this process (a recorder in mode `new`); a
   * recorder that only records keeps nothing, and its memory stays flat however long it runs.
   */
  append(interaction: Interaction, keep = true): Promise<void> {
    if (keep) {
      this.#db.data.interactions.push(interaction);
      this.#indexInteraction(interaction);
    }
    this.#unfolded++;
    // Printed by the write, after the client has its answer.
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
      if (!this.#journalOnDisk && !existsSync(this.file)) return;
      const whole = await readCassette(this.file);
      whole.meta = this.#db.data.meta;
      await this.#db.adapter.write(whole);
      this.#unfolded -= folding;
      this.#metaChanged = false;
      await rm(journalPath(this.file), { force: true });
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
      await mkdir(dirname(this.file), { recursive: true });
      lines.unshift(journalHeader(this.#db.data.meta));
    }
    const path = journalPath(this.file);
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
      throw new VcrError('CASSETTE_WRITE_FAILED', `Failed to write cassette "${this.file}": ${(err as Error).message}`, { file: this.file }, { cause: err });
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #indexInteraction(interaction: Interaction): void {
    const key = this.keyOf(interaction);
    const list = this.#index.get(key);
    if (list) list.push(interaction);
    else this.#index.set(key, [interaction]);
    const operation = interaction.operationId ?? `${interaction.request.method.toUpperCase()} ${interaction.request.path}`;
    const same = this.#byOperation.get(operation);
    if (same) same.push(interaction);
    else this.#byOperation.set(operation, [interaction]);
  }
}

export interface CassetteStoreOptions {
  dir: string;
  meta: Omit<CassetteMeta, 'createdAt'>;
}

/** Opens cassettes by name inside one folder, through lowdb, once each. */
export class CassetteStore {
  readonly dir: string;
  readonly #meta: Omit<CassetteMeta, 'createdAt'>;
  readonly #open = new Map<string, Promise<Cassette>>();
  /** Cassettes whose load has finished, for the synchronous path of a request. */
  readonly #ready = new Map<string, Cassette>();
  /** What the files looked like when each cassette was read (see `rewind`). */
  readonly #stamps = new WeakMap<Cassette, string>();

  constructor(options: CassetteStoreOptions) {
    this.dir = options.dir;
    this.#meta = options.meta;
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

  /** Every cassette loaded so far (for the summary's unused recordings). */
  loaded(): Cassette[] {
    return [...this.#ready.values()];
  }

  /** The cassette if it is already loaded, without waiting: most requests need nothing else. */
  peek(name: string): Cassette | undefined {
    return this.#ready.get(name);
  }

  /**
   * Every loaded cassette back to its first recordings; one whose file (or journal) changed since it was
   * loaded is dropped instead, and read again on its next use.
   */
  async rewind(): Promise<void> {
    await Promise.all(
      [...this.#ready].map(async ([name, cassette]) => {
        if ((await fileStamp(cassette.file)) !== this.#stamps.get(cassette)) {
          if (this.#ready.get(name) === cassette) {
            this.#ready.delete(name);
            this.#open.delete(name);
          }
        } else {
          cassette.rewind();
        }
      }),
    );
  }

  /** Reads a cassette from its file again, dropping what was loaded before (another process may have written it since). */
  reload(name: string): Promise<Cassette> {
    this.#open.delete(name);
    this.#ready.delete(name);
    return this.open(name);
  }


  async #load(name: string): Promise<Cassette> {
    const file = cassettePath(this.dir, name);
    const stamp = await fileStamp(file);
    const adapter = new AtomicDataFile<CassetteFile>(file, {
      parse: (text) => parseCassette(text, file),
      stringify: stringifyCassette,
    });
    const db = new Low<CassetteFile>(adapter, emptyCassette({ ...this.#meta, createdAt: new Date().toISOString() }));
    let journal: Journal | null;
    try {
      await db.read();
      journal = await readJournal(file);
    } catch (err) {
      if (err instanceof VcrError) throw err;
      throw new VcrError('CASSETTE_MALFORMED', `Failed to load cassette "${file}": ${(err as Error).message}`, { file }, { cause: err });
    }
    if (journal) {
      // A journal without its cassette file: the first recording into it never got folded.
      if (db.data.interactions.length === 0 && journal.meta) db.data.meta = journal.meta;
      mergeJournal(db.data, journal);
    }
    const cassette = new Cassette(name, file, db, journal !== null);
    if (cassette.size >= LARGE_CASSETTE) compactHeap();
    this.#stamps.set(cassette, stamp);
    return cassette;
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err;
}

/** Bytes in a file (not what a link points to); 0 when there is none. */
function sizeOf(path: string): Promise<number> {
  return lstat(path).then(
    (info) => info.size,
    (err: NodeJS.ErrnoException) => {
      ignoreMissing(err);
      return 0;
    },
  );
}

/** Size and modification time of a cassette file and its journal: changes when either is written. */
async function fileStamp(file: string): Promise<string> {
  const parts = await Promise.all([file, journalPath(file)].map((path) => stat(path).then((s) => `${s.size}@${s.mtimeMs}`, () => '-')));
  return parts.join('|');
}
