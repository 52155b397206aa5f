import type { ReadonlyDeep, UserEntry } from './state-data.js';

type Users = ReadonlyMap<string, ReadonlyDeep<UserEntry>>;
type User = ReadonlyDeep<UserEntry>;

type Field = 'email' | 'phone';

interface Index {
  email: Map<string, string>;
  phone: Map<string, string>;
}

/**
 * Users by email and by phone, so that uniqueness checks and sign-ins are lookups, not scans.
 * Built from the table on first use (a loaded, seeded or reset state is a new table), then kept
 * up to date by `indexUser` and `unindexUser`; a hit is checked against the user before it is trusted.
 */
const indexes = new WeakMap<Users, Index>();

function indexOf(users: Users): Index {
  let index = indexes.get(users);
  if (!index) {
    index = { email: new Map(), phone: new Map() };
    for (const entry of users.values()) add(index, entry);
    indexes.set(users, index);
  }
  return index;
}

function add(index: Index, entry: User): void {
  const id = String(entry.model.$id);
  for (const field of ['email', 'phone'] as const) {
    const value = entry.model[field];
    if (typeof value === 'string' && value !== '') index[field].set(value, id);
  }
}

/** The user whose email or phone is `value`, if any. */
export function userBy(users: Users, field: Field, value: string): User | undefined {
  if (value === '') return undefined;
  const id = indexOf(users)[field].get(value);
  const entry = id === undefined ? undefined : users.get(id);
  return entry && entry.model[field] === value ? entry : undefined;
}

export function indexUser(users: Users, entry: User, previous?: { email?: unknown; phone?: unknown }): void {
  const index = indexOf(users);
  for (const field of ['email', 'phone'] as const) {
    const old = previous?.[field];
    if (typeof old === 'string' && index[field].get(old) === entry.model.$id) index[field].delete(old);
  }
  add(index, entry);
}

export function unindexUser(users: Users, entry: User): void {
  const index = indexOf(users);
  for (const field of ['email', 'phone'] as const) {
    const value = entry.model[field];
    if (typeof value === 'string' && index[field].get(value) === entry.model.$id) index[field].delete(value);
  }
}
