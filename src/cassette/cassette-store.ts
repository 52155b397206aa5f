import { stat } from 'node:fs/promises';
import { Low } from 'lowdb';
import { AtomicDataFile } from '../model/atomic-file.js';
import { VcrError } from '../errors/vcr-error.js';
import type { Interaction } from '../model/interaction.js';
import type { MatchIgnore } from '../match/match-ignore.js';
import { CassetteIndex } from './cassette-index.js';
import { CassetteWriter } from './cassette-writer.js';
import { cassettePath } from './cassette-name.js';
import { compactHeap, LARGE_CASSETTE } from './compact-heap.js';
import { emptyCassette, parseCassette, stringifyCassette, type CassetteFile, type CassetteMeta } from './cassette-format.js';
import { journalPath, mergeJournal, readJournal, type Journal } from './cassette-journal.js';

/**
 * One cassette in memory: its recordings, replay's index of them (cassette-index.ts), and the writes
 * of recording: appends to the cassette's journal, and `fold()` writes the whole file (see cassette-journal.ts).
 */
export class Cassette {
  readonly name: string;
  readonly file: string;
  readonly #db: Low<CassetteFile>;
  /** Replay's index, matching without what `meta.matchIgnore` and the rules a server adds leave out. */
  readonly #index: CassetteIndex;
  /** The cassette's writes: journal appends and folds. */
  readonly #writer: CassetteWriter;

  /** `journalOnDisk`: `db` holds a journal's interactions that the JSON file does not (the next fold writes them). */
  constructor(name: string, file: string, db: Low<CassetteFile>, journalOnDisk = false) {
    this.name = name;
    this.file = file;
    this.#db = db;
    this.#writer = new CassetteWriter(
      file,
      () => db.data.meta,
      (whole) => db.adapter.write(whole),
      journalOnDisk,
    );
    this.#index = new CassetteIndex(db.data.meta.matchIgnore ?? [], db.data.interactions);
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
    this.#writer.metaChanged();
  }

  /** The rules that matching against this cassette leaves out of a request's identity. */
  get matchIgnore(): MatchIgnore {
    return this.#index.matchIgnore;
  }

  /**
   * Adds rules that matching leaves out, and indexes the recordings again. `persist`: note them in
   * `meta.matchIgnore` too, written with the next journal or fold (a recorder does; a replay server does not).
   */
  addMatchIgnoreRules(rules: readonly string[], persist: boolean): void {
    const current = this.#index.matchIgnore.rules;
    const all = [...new Set([...current, ...rules])].sort();
    if (all.length !== current.length) this.#index.reindex(all, this.#db.data.interactions);
    const stored = this.#db.data.meta.matchIgnore ?? [];
    if (!persist || rules.every((rule) => stored.includes(rule))) return;
    this.#db.data.meta.matchIgnore = [...new Set([...stored, ...rules])].sort();
    this.#writer.metaChanged();
  }

  /** A recording's identity for matching in this cassette. */
  keyOf(interaction: Interaction): string {
    return this.#index.keyOf(interaction);
  }

  /** The recordings of an operation, in recorded order. */
  recordingsOf(operationId: string): readonly Interaction[] {
    return this.#index.recordingsOf(operationId);
  }

  /** The next recording for this identity, or null when there is none. */
  next(key: string): Interaction | null {
    return this.#index.next(key);
  }

  /** Back to the first recording of every identity. */
  rewind(): void {
    this.#index.rewind();
  }

  /** True when a recording exists for this identity (without moving the cursor). */
  has(key: string): boolean {
    return this.#index.has(key);
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
      this.#index.add(interaction);
    }
    return this.#writer.append(interaction);
  }

  /**
   * Writes the whole cassette, journal folded in, to its file atomically, then removes the journal
   * (cassette-writer.ts). Nothing to do when the file already holds everything.
   */
  fold(): Promise<void> {
    return this.#writer.fold();
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

/** Size and modification time of a cassette file and its journal: changes when either is written. */
async function fileStamp(file: string): Promise<string> {
  const parts = await Promise.all(
    [file, journalPath(file)].map((path) =>
      stat(path).then(
        (s) => `${s.size}@${s.mtimeMs}`,
        () => '-',
      ),
    ),
  );
  return parts.join('|');
}
