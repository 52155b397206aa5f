import { extendableCopy } from '../model/extendable-copy.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model, ReadonlyDeep, UserEntry } from './state-data.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { need } from './table.js';
import { userBy } from './user-index.js';
import { createSession, deleteSession, passwordMatches, updatedUser, userView } from './users.js';

interface Account {
  user: ReadonlyDeep<UserEntry>;
  sessionId: string | null;
}

/** A JWT of the state: unsigned, carrying the user and session it stands for. */
function makeJwt(userId: string, sessionId: string): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'HS256' })}.${part({ userId, sessionId, exp: Math.floor(Date.now() / 1000) + 900 })}.${Buffer.from('appwrite-vcr').toString('base64url')}`;
}

/** The user and session a JWT of the state names; null when it is not one. */
export function readJwt(token: string): { userId: string; sessionId: string } | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { userId?: unknown; sessionId?: unknown };
    return typeof payload.userId === 'string' ? { userId: payload.userId, sessionId: typeof payload.sessionId === 'string' ? payload.sessionId : '' } : null;
  } catch {
    return null;
  }
}

/** Account routes answer for a caller the state knows; others fall through to the schema. */
function withAccount(answer: (account: Account, ctx: StateContext) => ReturnType<typeof json> | null) {
  return (ctx: StateContext) => {
    const user = ctx.caller.userId === null ? undefined : ctx.data.users.get(ctx.caller.userId);
    return user ? answer({ user, sessionId: ctx.caller.sessionId }, ctx) : null;
  };
}

function sessionView(session: Readonly<Model>, currentId: string | null): Model {
  return Object.assign(extendableCopy(session as Model), { secret: '', current: session.$id === currentId });
}

function sessionIdOf(param: unknown, account: Account): string {
  return String(param === 'current' ? account.sessionId : param);
}

export const accountRoutes: StateRoutes = {
  accountGet: withAccount(({ user }) => json(200, userView(user))),
  accountGetPrefs: withAccount(({ user }) => json(200, extendableCopy(user.model.prefs as Model))),
  accountUpdatePrefs: withAccount(({ user }, { params, tx }) => {
    tx.assign(user.model, { prefs: params.prefs ?? {} });
    return json(200, updatedUser(tx, user));
  }),
  accountUpdateName: withAccount(({ user }, { params, tx }) => {
    tx.assign(user.model, { name: params.name });
    return json(200, updatedUser(tx, user));
  }),
  accountListSessions: withAccount(({ user, sessionId }) => {
    const sessions = [...user.sessions.values()].map((s) => sessionView(s, sessionId));
    return json(200, { total: sessions.length, sessions });
  }),
  accountGetSession: withAccount((account, { params }) => json(200, sessionView(need(account.user.sessions, sessionIdOf(params.sessionId, account), 'user_session_not_found'), account.sessionId))),
  accountDeleteSession: withAccount((account, { params, tx }) => {
    deleteSession(tx, account.user, sessionIdOf(params.sessionId, account));
    return noContent();
  }),
  accountDeleteSessions: withAccount(({ user }, { tx }) => {
    for (const id of [...user.sessions.keys()]) deleteSession(tx, user, id);
    return noContent();
  }),
  accountCreateJWT: withAccount(({ user, sessionId }) => json(201, { jwt: makeJwt(String(user.model.$id), sessionId ?? '') })),
  accountCreateEmailPasswordSession: (ctx) => {
    const { params, data } = ctx;
    const user = userBy(data.users, 'email', String(params.email).toLowerCase());
    if (!user) return data.users.size === 0 ? null : fail('user_invalid_credentials');
    if (!passwordMatches(user.passwordCheck, String(params.password))) fail('user_invalid_credentials');
    if (user.model.status === false) fail('user_blocked');
    return json(201, Object.assign(extendableCopy(createSession(ctx, user, 'email') as Model), { current: true }));
  },
};
