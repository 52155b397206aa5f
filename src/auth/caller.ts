import type { Credentials } from './credentials.js';

/**
 * Appwrite's three kinds of caller (app/config/roles.php): `apps` hold an API key, `users` a session
 * or a JWT the server issued, `guests` nothing that resolves to a user.
 */
export type CallerRole = 'apps' | 'users' | 'guests';

/**
 * Who is calling, worked out once per request before anything else looks at it, then frozen and handed
 * to every later step: validation (scopes), the state (accounts, permissions) and realtime.
 */
export interface Caller {
  readonly role: CallerRole;
  readonly credentials: Readonly<Credentials>;
  /** The signed-in user; null for apps and guests. */
  readonly userId: string | null;
  /** The session the user is signed in with (a JWT names one too); null when there is none. */
  readonly sessionId: string | null;
}

/** Resolves a session or a JWT to the user behind it; the state is one (it knows the sessions it issued). */
export interface SessionResolver {
  /** The user and session, or null when the state never issued this session. */
  session(userId: string | null, secret: string): { userId: string; sessionId: string } | null;
  /** The user and session a JWT stands for, or null when it names none the state knows. */
  jwt(token: string): { userId: string; sessionId: string } | null;
}

/**
 * The caller of a request. Without a resolver (the schema fallback, recording) a credential is taken
 * at its word: a session or a JWT makes a user whose ID nobody knows.
 */
export function identifyCaller(credentials: Credentials, resolver: SessionResolver | null): Caller {
  const credentialsView = Object.freeze(credentials);
  if (credentials.key !== '') return Object.freeze({ role: 'apps', credentials: credentialsView, userId: null, sessionId: null });
  let found: { userId: string; sessionId: string } | null = null;
  let presented = false;
  if (credentials.jwt !== '') {
    presented = true;
    found = resolver ? resolver.jwt(credentials.jwt) : null;
  } else if (credentials.session) {
    presented = true;
    found = resolver ? resolver.session(credentials.session.userId, credentials.session.secret) : null;
  }
  if (found) return Object.freeze({ role: 'users', credentials: credentialsView, userId: found.userId, sessionId: found.sessionId });
  // @note Without a model of sessions, a presented credential is a user as far as scopes go.
  const role: CallerRole = presented && !resolver ? 'users' : 'guests';
  return Object.freeze({ role, credentials: credentialsView, userId: null, sessionId: null });
}
