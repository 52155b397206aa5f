import { APPWRITE_ERRORS } from '../model/appwrite-error.js';
import type { VcrResponse } from '../model/exchange.js';
import { hexSecret, issueToken } from './account-tokens.js';
import { isoDate, resolveId } from './ids.js';
import { fail } from './state-failure.js';
import type { Model, ReadonlyDeep, UserEntry } from './state-data.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { created } from './table.js';
import { userBy } from './user-index.js';
import { createUser } from './users.js';

/** A token from the OAuth2 flow lives as long as a session (app/controllers/api/account.php:1439-1441 at 1.5.0). */
const TOKEN_SECONDS = 365 * 24 * 3600;

/**
 * The person a provider signs in, as replay makes them up: the round trip to the provider cannot happen
 * offline, so every provider answers with one user of its own, `<provider>-user@example.com` (see
 * docs/decisions/0012-mfa-and-oauth2.md).
 */
export function providerPerson(provider: string): { uid: string; email: string; name: string } {
  return { uid: `${provider}-user`, email: `${provider.toLowerCase()}-user@example.com`, name: `${provider} user` };
}

/**
 * `success` and `failure` as Appwrite's `Host` validator takes them (utopia-php/framework 0.33.2, the
 * `clients` resource of app/init.php:1067-1117 at 1.5.0): an absolute URL; the host is the request's own
 * or, with platforms registered (`--origins`), one of theirs. Empty: Appwrite's own page on the request's host.
 */
function redirectUrl(ctx: StateContext, name: 'success' | 'failure'): URL {
  const host = ctx.caller.credentials.host || '127.0.0.1';
  const value = typeof ctx.params[name] === 'string' ? (ctx.params[name] as string) : '';
  if (value === '') return new URL(`http://${ctx.headers.host ?? host}/auth/oauth2/${name}`);
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (!url || url.hostname === '') fail('general_argument_invalid', `Invalid \`${name}\` param: URL host must be one of: ${host}`);
  return url;
}

/** The provider's person in the state: by identity, else by email (linked), else a new user with a verified email (account.php:1258-1389). */
function personEntry(ctx: StateContext, provider: string): ReadonlyDeep<UserEntry> {
  const person = providerPerson(provider);
  const identity = [...ctx.data.identities.values()].find((i) => i.provider === provider && i.providerUid === person.uid);
  const known = identity ? ctx.data.users.get(String(identity.userId)) : userBy(ctx.data.users, 'email', person.email);
  const entry = known ?? createUser(ctx, { userId: 'unique()', email: person.email, name: person.name }, null, undefined, { signedUp: true }).entry;
  if (!known) ctx.tx.assign(entry.model, { emailVerification: true });
  if (!identity) {
    const base = created(resolveId('unique()'));
    const userId = String(entry.model.$id);
    const model: Model = Object.assign(base, {
      userId,
      provider,
      providerUid: person.uid,
      providerEmail: person.email,
      providerAccessToken: '',
      providerAccessTokenExpiry: isoDate(),
      providerRefreshToken: '',
    });
    ctx.tx.create(ctx.data.identities, base.$id, model, { resource: 'identity', ids: { userId, identityId: base.$id } }, model);
  }
  return entry;
}

/** A 301 to `url`, with the no-cache headers of Appwrite's redirects (account.php:1556-1559). */
function redirect(url: URL): VcrResponse {
  return { status: 301, headers: { location: url.href, 'cache-control': 'no-store, no-cache, must-revalidate, max-age=0', pragma: 'no-cache' }, body: null };
}

export const oauth2Routes: StateRoutes = {
  /**
   * `GET /account/tokens/oauth2/{provider}` (account.php:1562-1629, then the callback and redirect at
   * 1049-1560): answered as the redirect after the provider's round trip, straight to `success` with the
   * `userId` and `secret` of an OAuth2 token that `POST /account/sessions/token` turns into a session; a
   * blocked user goes to `failure` with Appwrite's `error` JSON. Every provider counts as enabled.
   */
  accountCreateOAuth2Token: (ctx) => {
    const success = redirectUrl(ctx, 'success');
    const failure = redirectUrl(ctx, 'failure');
    const entry = personEntry(ctx, String(ctx.params.provider));
    if (entry.model.status === false) {
      failure.searchParams.set('error', JSON.stringify({ message: APPWRITE_ERRORS.user_blocked.description, type: 'user_blocked', code: 401 }));
      return redirect(failure);
    }
    const token = issueToken(ctx, entry, 'oauth2', hexSecret(64), TOKEN_SECONDS);
    success.searchParams.set('secret', String(token.secret));
    success.searchParams.set('userId', String(entry.model.$id));
    return redirect(success);
  },
};
