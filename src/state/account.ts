import { secretDigest } from './state-codec.js';
import { userBy } from './user-index.js';
import { isoDate } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model, StateData, UserEntry } from './state-data.js';
import type { StateRequest, StateRoutes } from './state-request.js';
import { createSession, passwordMatches, userView } from './users.js';

interface Caller {
  user: UserEntry;
  session: Model | null;
}

function header(request: StateRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** A JWT of the state: unsigned, carrying the user and session it stands for. */
function makeJwt(userId: string, sessionId: string): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'HS256' })}.${part({ userId, sessionId, exp: Math.floor(Date.now() / 1000) + 900 })}.${Buffer.from('appwrite-vcr').toString('base64url')}`;
}

/** The user behind `X-Appwrite-Session` (a session secret) or `X-Appwrite-JWT`, when the state has one. */
function caller(request: StateRequest, data: StateData): Caller | null {
  const jwt = header(request, 'x-appwrite-jwt');
  if (jwt !== '') {
    try {
      const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { userId?: string; sessionId?: string };
      const user = data.users.get(payload.userId ?? '');
      if (user) return { user, session: user.sessions.get(payload.sessionId ?? '') ?? null };
    } catch {
      return null;
    }
    return null;
  }
  const secret = header(request, 'x-appwrite-session');
  if (secret === '') return null;
  // A session read back from a state file holds its secret's digest, never the secret.
  const digest = secretDigest(secret);
  for (const user of data.users.values()) for (const session of user.sessions.values()) if (session.secret === secret || session.secret === digest) return { user, session };
  return null;
}

function withCaller(answer: (caller: Caller, request: StateRequest, data: StateData) => ReturnType<typeof json> | null) {
  return (request: StateRequest, data: StateData) => {
    const found = caller(request, data);
    return found ? answer(found, request, data) : null;
  };
}

function sessionView(session: Model, current: Model | null): Model {
  return { ...session, secret: '', current: session.$id === current?.$id };
}

/** Account routes for a caller the state knows; others fall through to the schema. */
export const accountRoutes: StateRoutes = {
  accountGet: withCaller(({ user }) => json(200, userView(user))),
  accountGetPrefs: withCaller(({ user }) => json(200, user.model.prefs)),
  accountUpdatePrefs: withCaller(({ user }, { params }) => {
    Object.assign(user.model, { prefs: params.prefs ?? {}, $updatedAt: isoDate() });
    return json(200, userView(user));
  }),
  accountUpdateName: withCaller(({ user }, { params }) => {
    Object.assign(user.model, { name: params.name, $updatedAt: isoDate() });
    return json(200, userView(user));
  }),
  accountListSessions: withCaller(({ user, session }) => {
    const sessions = [...user.sessions.values()].map((s) => sessionView(s, session));
    return json(200, { total: sessions.length, sessions });
  }),
  accountGetSession: withCaller(({ user, session }, { params }) => {
    const id = params.sessionId === 'current' ? session?.$id : params.sessionId;
    const found = user.sessions.get(String(id));
    if (!found) fail('user_session_not_found');
    return json(200, sessionView(found, session));
  }),
  accountDeleteSession: withCaller(({ user, session }, { params }) => {
    const id = String(params.sessionId === 'current' ? session?.$id : params.sessionId);
    if (!user.sessions.has(id)) fail('user_session_not_found');
    user.sessions.delete(id);
    return noContent();
  }),
  accountDeleteSessions: withCaller(({ user }) => {
    user.sessions.clear();
    return noContent();
  }),
  accountCreateJWT: withCaller(({ user, session }) => json(201, { jwt: makeJwt(user.model.$id as string, String(session?.$id ?? '')) })),
  accountCreateEmailPasswordSession: ({ params }, data) => {
    const user = userBy(data.users, 'email', String(params.email).toLowerCase());
    if (!user) return data.users.size === 0 ? null : fail('user_invalid_credentials');
    if (!passwordMatches(user.passwordCheck, String(params.password))) fail('user_invalid_credentials');
    if (user.model.status === false) fail('user_blocked');
    return json(201, { ...createSession(user, 'email'), current: true });
  },
};
