import type { Credentials } from './credentials.js';

/**
 * Appwrite's three kinds of caller (app/config/roles.php): `apps` hold an API key, `users` a session
 * or a JWT the server issued, `guests` nothing that resolves to a user.
 */
export type CallerRole = 'apps' | 'users' | 'guests';

/** How Appwrite refuses a request for who is calling, before it looks at anything else. */
export interface CallerRefusal {
  type: 'user_jwt_invalid' | 'user_key_and_session_set' | 'user_blocked';
  /** Appwrite's message where it is not the error table's. */
  message?: string;
}

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
  /** The user's email, which Appwrite names in a scope refusal; null when no user is known. */
  readonly email: string | null;
  /** Set when Appwrite refuses the request for its credentials alone. */
  readonly refusal: CallerRefusal | null;
  /** The session lacks the second factor its user's MFA asks for: only the `mfa` group's routes answer it (see MFA_GROUP). */
  readonly moreFactorsRequired?: boolean;
}

/** A user and the session a credential stands for. */
export interface SessionHit {
  userId: string;
  sessionId: string;
  email: string;
  /** The user's status is false (app/controllers/shared/api.php:262-264 at 1.5.0: 401 `user_blocked`). */
  blocked: boolean;
  /** The session has fewer factors than the user's MFA asks for (app/controllers/shared/api.php:283-295 at 1.5.0). */
  moreFactorsRequired?: boolean;
}

/** Resolves a session or a JWT to the user behind it; the state is one (it knows the sessions it issued). */
export interface SessionResolver {
  /** The user and session, or null when the state never issued this session. */
  session(userId: string | null, secret: string): SessionHit | null;
  /**
   * The user and session a JWT stands for; null when it is well signed but its session is gone (the
   * caller is then a guest, as in Appwrite); `invalid` when it is not one of this state's, or expired.
   */
  jwt(token: string): SessionHit | null | { invalid: string };
}

/**
 * The caller of a request, in Appwrite 1.5's order (app/init.php, the `user` resource, then
 * app/controllers/shared/api.php): the session makes the user, a JWT replaces it, and a key together
 * with a user is refused. Without a resolver (the schema fallback, recording) a credential is taken at
 * its word: a session or a JWT makes a user whose ID nobody knows.
 */
export function identifyCaller(credentials: Credentials, resolver: SessionResolver | null): Caller {
  const credentialsView = Object.freeze(credentials);
  let found: SessionHit | null = null;
  let refusal: CallerRefusal | null = null;
  const presented = credentials.jwt !== '' || credentials.session !== null;
  if (resolver) {
    if (credentials.session) found = resolver.session(credentials.session.userId, credentials.session.secret);
    if (credentials.jwt !== '') {
      const named = resolver.jwt(credentials.jwt);
      if (named !== null && 'invalid' in named) refusal = { type: 'user_jwt_invalid', message: `Failed to verify JWT. ${named.invalid}` };
      found = named !== null && 'invalid' in named ? null : named;
    }
  }
  if (credentials.key !== '') {
    // app/controllers/shared/api.php:200-203 at 1.5.0: a key beside a session that resolves to a user.
    if (found && !refusal) refusal = { type: 'user_key_and_session_set' };
    return Object.freeze({ role: 'apps', credentials: credentialsView, userId: null, sessionId: null, email: null, refusal });
  }
  if (found) {
    refusal ??= found.blocked ? { type: 'user_blocked' } : null;
    return Object.freeze({
      role: 'users',
      credentials: credentialsView,
      userId: found.userId,
      sessionId: found.sessionId,
      email: found.email,
      refusal,
      moreFactorsRequired: found.moreFactorsRequired === true,
    });
  }
  // @note Without a model of sessions, a presented credential is a user as far as scopes go.
  const role: CallerRole = presented && !resolver ? 'users' : 'guests';
  return Object.freeze({ role, credentials: credentialsView, userId: null, sessionId: null, email: null, refusal });
}
