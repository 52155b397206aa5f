import { secretDigest } from './state-codec.js';
import type { ReadonlyDeep, UserEntry } from './state-data.js';

type Users = ReadonlyMap<string, ReadonlyDeep<UserEntry>>;

export interface SessionHit {
  userId: string;
  sessionId: string;
}

/**
 * Sessions by the digest of their secret, so that working out a caller is a lookup, not a scan of every
 * session of every user. Built from the table on first use (a loaded, seeded or reset state is a new
 * table), then added to by `indexSession`; a hit is checked against the user's sessions before it is
 * trusted, so a deleted session is simply a miss.
 */
const indexes = new WeakMap<Users, Map<string, SessionHit>>();

function indexOf(users: Users): Map<string, SessionHit> {
  let index = indexes.get(users);
  if (!index) {
    index = new Map();
    for (const [userId, entry] of users)
      for (const [sessionId, session] of entry.sessions) index.set(secretDigest(String(session.secret)), { userId, sessionId });
    indexes.set(users, index);
  }
  return index;
}

export function indexSession(users: Users, userId: string, sessionId: string, secret: string): void {
  indexOf(users).set(secretDigest(secret), { userId, sessionId });
}

/**
 * The session whose secret is `secret`, if the state holds it. A session read back from a state file
 * holds its secret's digest, never the secret; `userId`, when the caller named one, must match.
 */
export function findSession(users: Users, userId: string | null, secret: string): SessionHit | null {
  if (secret === '') return null;
  const digest = secretDigest(secret);
  const hit = indexOf(users).get(digest);
  if (!hit || (userId !== null && hit.userId !== userId)) return null;
  const stored = users.get(hit.userId)?.sessions.get(hit.sessionId)?.secret;
  return stored === secret || stored === digest ? hit : null;
}
