import { extendableCopy } from '../model/extendable-copy.js';
import { setOwn } from '../model/set-own.js';
import { isoDate } from './ids.js';
import type { Change, ChangeAction, ResourceRef } from './change.js';
import type { Model } from './state-data.js';
import type { OutgoingMessage } from './outgoing-message.js';
import { markWritten } from './write-marks.js';

/** A table or a field as a handler sees it: to be read; written only through its `Tx`. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The only writer of the state. A handler reads the data it is given and makes every change through
 * its request's `Tx`, which writes it and records what changed (cascades marked as such), so that
 * whatever reacts to changes (the state file, realtime, the outbox) hears of each without being
 * called by the services. What it records and returns are copies: a stored object never leaves the state.
 */
export class Tx {
  readonly changes: Change[] = [];
  /** What Appwrite would send while answering (an invitation email); heard with the changes, never stored. */
  readonly messages: OutgoingMessage[] = [];
  /** Something was written, recorded as a change or not (a reverse index, a chunk). */
  dirty = false;
  #cascading = 0;

  /** Stores a new entry and records its creation; returns a copy of `model` to answer with. */
  create<T>(table: ReadonlyMap<string, T>, id: string, entry: T, ref: ResourceRef, model: Readonly<Model>): Model {
    (table as Map<string, T>).set(id, entry);
    markWritten(table);
    return this.record('create', ref, model);
  }

  /** Replaces a stored entry and records the update; returns a copy of `model`. */
  replace<T>(table: ReadonlyMap<string, T>, id: string, entry: T, ref: ResourceRef, model: Readonly<Model>): Model {
    (table as Map<string, T>).set(id, entry);
    markWritten(table);
    return this.record('update', ref, model);
  }

  /** Removes a stored entry and records its deletion (`model`: the resource as it was). */
  delete<T>(table: ReadonlyMap<string, T>, id: string, ref: ResourceRef, model: Readonly<Model>): void {
    (table as Map<string, T>).delete(id);
    markWritten(table);
    this.record('delete', ref, model);
  }

  /**
   * Sets fields of a stored object in place (a model or an entry), each to a new value: a value is
   * replaced, never changed inside, which is what lets answers be shallow copies. `undefined` leaves
   * a field as it is; `$updatedAt` moves when the object has one and `touch` is not false.
   */
  assign<T extends object>(target: T, fields: Partial<Writable<T>> | Readonly<Model>, touch = true): void {
    const out = target as Record<string, unknown>;
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) setOwn(out, key, value);
    if (touch && '$updatedAt' in out) out.$updatedAt = isoDate();
    markWritten(target);
    this.dirty = true;
  }

  /** Removes a field of a stored object. */
  unset(target: object, key: string): void {
    delete (target as Record<string, unknown>)[key];
    markWritten(target);
    this.dirty = true;
  }

  /** Writes a table that holds no resource of its own (a reverse index, chunks by number). */
  link<K, V>(table: ReadonlyMap<K, V>, key: K, value: V): void {
    (table as Map<K, V>).set(key, value);
    markWritten(table);
    this.dirty = true;
  }

  unlink<K, V>(table: ReadonlyMap<K, V>, key: K): void {
    (table as Map<K, V>).delete(key);
    markWritten(table);
    this.dirty = true;
  }

  /**
   * Records a change made with `assign`/`link`; returns a copy of `model` to answer with. What is recorded
   * is a frozen deep copy: whoever hears of the change can keep it, but never reach the state through it.
   */
  record(action: ChangeAction, ref: ResourceRef, model: Readonly<Model>): Model {
    this.changes.push({ action, resource: ref.resource, ids: ref.ids, model: deepFreeze(structuredClone(model)), cascade: this.#cascading > 0 });
    this.dirty = true;
    return extendableCopy(model) as Model;
  }

  /** Hands a message to whoever hears of this request's changes (an outbox). */
  send(message: OutgoingMessage): void {
    this.messages.push(Object.freeze(message));
  }

  /** Runs `work`, marking the changes it records as cascades of the one being made. */
  cascade<T>(work: () => T): T {
    this.#cascading++;
    try {
      return work();
    } finally {
      this.#cascading--;
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
