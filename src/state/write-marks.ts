/**
 * How a structure derived from the stored data (an index of a collection's documents) knows it is out of
 * date: `Tx`, the only writer, marks every table and object it writes; a structure remembers the
 * generation of its table when it is built and is thrown away once that moves. Members of a table (the
 * documents of a collection) are written in place too (`assign`, `unset`): the builder names them as
 * the table's, and a write to one moves the table's generation.
 */
const generations = new WeakMap<object, number>();
const tables = new WeakMap<object, object>();

/** `target` (a table, or an object of one) was written. */
export function markWritten(target: object): void {
  generations.set(target, generationOf(target) + 1);
  const table = tables.get(target);
  if (table !== undefined) generations.set(table, generationOf(table) + 1);
}

/** How many writes `table` has had; a new table (a reset, a checkpoint restored, a state loaded) has none. */
export function generationOf(table: object): number {
  return generations.get(table) ?? 0;
}

/** A write to `member` is a write to `table` from now on. */
export function memberOf(member: object, table: object): void {
  tables.set(member, table);
}
