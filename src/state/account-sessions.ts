import { isoDate } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model } from './state-data.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { need } from './table.js';
import { userBy } from './user-index.js';
import { createUser, deleteSession, passwordMatches, sessionRef } from './users.js';
import { signIn, signOutHeaders } from './account-session.js';
import { findToken, spendToken, type TokenType } from './account-tokens.js';
import { sessionView, signedOut, withAccount, type Account } from './account-view.js';
import type { VcrResponse } from '../model/exchange.js';

/** The session's provider and factor for each kind of sign-in token (Auth::getSessionProviderByTokenType, `$createSession` at 1.5.0). */
const BY_TOKEN: Partial<Record<TokenType, { provider: string; factor: string }>> = {
  'magic-url': { provider: 'magic-url', factor: 'email' },
  email: { provider: 'email', factor: 'email' },
  oauth2: { provider: 'oauth2', factor: 'email' },
  phone: { provider: 'phone', factor: 'phone' },
  generic: { provider: 'token', factor: 'token' },
};

/** A session from a token's secret (app/controllers/api/account.php:60-165 at 1.5.0): the token is spent. */
function sessionFromToken(ctx: StateContext): VcrResponse {
  const entry = ctx.data.users.get(String(ctx.params.userId));
  if (!entry) fail('user_invalid_token');
  const token = findToken(entry, null, String(ctx.params.secret));
  const kind = token ? BY_TOKEN[(token.type as TokenType | undefined) ?? 'generic'] : undefined;
  if (!token || !kind) fail('user_invalid_token');
  spendToken(ctx, entry, token);
  if (token.type === 'magic-url') ctx.tx.assign(entry.model, { emailVerification: true });
  if (token.type === 'phone') ctx.tx.assign(entry.model, { phoneVerification: true });
  return signIn(ctx, entry, kind.provider, [kind.factor]);
}

function sessionIdOf(param: unknown, account: Account): string {
  return String(param === 'current' ? account.sessionId : param);
}

/** 204, with the cookies expired when the current session is among those deleted. */
function signedOutAnswer(ctx: StateContext, current: boolean): VcrResponse {
  const answer = noContent();
  return current ? { status: 204, headers: signOutHeaders(ctx.caller.credentials.project), body: answer.body } : answer;
}

export const sessionRoutes: StateRoutes = {
  accountCreateEmailPasswordSession: signedOut((ctx) => {
    const user = userBy(ctx.data.users, 'email', String(ctx.params.email).toLowerCase());
    if (!user || user.model.passwordUpdate === '' || !passwordMatches(user.passwordCheck, String(ctx.params.password))) fail('user_invalid_credentials');
    return signIn(ctx, user, 'email', ['password']);
  }),
  // app/controllers/api/account.php:812-948 at 1.5.0: a new user with no email, name or password.
  accountCreateAnonymousSession: signedOut((ctx) =>
    signIn(ctx, createUser(ctx, { userId: 'unique()' }, null, undefined, { signedUp: true }).entry, 'anonymous', ['anonymous']),
  ),
  accountCreateSession: signedOut(sessionFromToken),
  accountUpdateMagicURLSession: signedOut(sessionFromToken),
  accountUpdatePhoneSession: signedOut(sessionFromToken),
  accountListSessions: withAccount(({ user, sessionId }) => {
    const sessions = [...user.sessions.values()].map((s) => sessionView(s, sessionId));
    return json(200, { total: sessions.length, sessions });
  }),
  accountGetSession: withAccount((account, { params }) =>
    json(200, sessionView(need(account.user.sessions, sessionIdOf(params.sessionId, account), 'user_session_not_found'), account.sessionId)),
  ),
  // app/controllers/api/account.php:610-684 at 1.5.0: the session's expiry moves on by the session length.
  accountUpdateSession: withAccount((account, { params, tx }) => {
    const id = sessionIdOf(params.sessionId, account);
    const session = need(account.user.sessions, id, 'user_session_not_found');
    const expire = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    tx.assign(session, { expire: isoDate(expire) }, false);
    // account.php:653 and 683 at 1.5.0: the answer is the session as the controller changed it, not as read back:
    // `expire` in the database's text ('Y-m-d H:i:s.v', UTC) and `current` never set, so false.
    const view = Object.assign(sessionView(session, null), { expire: expire.toISOString().replace('T', ' ').slice(0, 23) });
    return json(200, tx.record('update', sessionRef(String(account.user.model.$id), id), view));
  }),
  accountDeleteSession: withAccount((account, ctx) => {
    const id = sessionIdOf(ctx.params.sessionId, account);
    deleteSession(ctx.tx, account.user, id);
    return signedOutAnswer(ctx, id === account.sessionId);
  }),
  accountDeleteSessions: withAccount(({ user, sessionId }, ctx) => {
    for (const id of [...user.sessions.keys()]) deleteSession(ctx.tx, user, id);
    return signedOutAnswer(ctx, sessionId !== null);
  }),
  // app/controllers/api/account.php:2334-2379 at 1.5.0: a JWT of the current session, 15 minutes.
  accountCreateJWT: withAccount(({ user, sessionId }, { jwt }) => {
    if (sessionId === null || !user.sessions.has(sessionId)) fail('user_session_not_found');
    return json(201, { jwt: jwt.sign({ userId: String(user.model.$id), sessionId }) } satisfies Model);
  }),
};
