import { json } from './reply.js';
import { fail } from './state-failure.js';
import type { ReadonlyDeep, UserEntry } from './state-data.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { userBy } from './user-index.js';
import { passwordCheck, updatedUser } from './users.js';
import { code, findToken, hexSecret, issueToken, spendToken, TOKEN_SECONDS, tokenView, type TokenType } from './account-tokens.js';
import { withAccount } from './account-view.js';
import { isoDate } from './ids.js';
import { linkWith } from './outbox.js';
import type { VcrResponse } from '../model/exchange.js';

/**
 * Confirms a token of `type` sent to the user (`PUT /account/verification`, `/verification/phone`,
 * `/recovery` in app/controllers/api/account.php at 1.5.0): an unknown user is 404 `user_not_found`, a
 * made-up or expired secret 401 `user_invalid_token`; the token is spent and answered (200).
 */
function confirm(ctx: StateContext, type: TokenType, apply: (user: ReadonlyDeep<UserEntry>) => void): VcrResponse {
  const user = ctx.data.users.get(String(ctx.params.userId));
  if (!user) fail('user_not_found');
  const token = findToken(user, [type], String(ctx.params.secret));
  if (!token) fail('user_invalid_token');
  spendToken(ctx, user, token);
  apply(user);
  updatedUser(ctx.tx, user);
  return json(200, tokenView(token, ctx.caller));
}

export const verificationRoutes: StateRoutes = {
  // app/controllers/api/account.php:3082-3241 at 1.5.0: a 256-character secret in a link, an hour.
  accountCreateVerification: withAccount(({ user }, ctx) => {
    if (user.model.emailVerification === true) fail('user_email_already_verified');
    const token = issueToken(ctx, user, 'verification', hexSecret(256), TOKEN_SECONDS.confirm);
    const userId = String(user.model.$id);
    const url = linkWith(ctx.params.url, { userId, secret: String(token.secret), expire: String(token.expire) });
    ctx.outbox.add({ kind: 'email-verification', channel: 'email', to: String(user.model.email), userId, secret: String(token.secret), url });
    return json(201, tokenView(token, ctx.caller));
  }),
  accountUpdateVerification: (ctx) => confirm(ctx, 'verification', (user) => ctx.tx.assign(user.model, { emailVerification: true })),
  // app/controllers/api/account.php:3303-3413 at 1.5.0: a 6-digit code by SMS.
  accountCreatePhoneVerification: withAccount(({ user }, ctx) => {
    if (user.model.phone === '') fail('user_phone_not_found');
    if (user.model.phoneVerification === true) fail('user_phone_already_verified');
    const token = issueToken(ctx, user, 'phone', code(), TOKEN_SECONDS.confirm);
    ctx.outbox.add({
      kind: 'phone-verification',
      channel: 'sms',
      to: String(user.model.phone),
      userId: String(user.model.$id),
      secret: String(token.secret),
      url: null,
    });
    return json(201, tokenView(token, ctx.caller));
  }),
  accountUpdatePhoneVerification: (ctx) => confirm(ctx, 'phone', (user) => ctx.tx.assign(user.model, { phoneVerification: true })),
  // app/controllers/api/account.php:2819-2995 at 1.5.0: by email, to a user who is not blocked.
  accountCreateRecovery: (ctx) => {
    const email = String(ctx.params.email).toLowerCase();
    const user = userBy(ctx.data.users, 'email', email);
    if (!user) fail('user_not_found');
    if (user.model.status === false) fail('user_blocked');
    const token = issueToken(ctx, user, 'recovery', hexSecret(256), TOKEN_SECONDS.recovery);
    const userId = String(user.model.$id);
    const url = linkWith(ctx.params.url, { userId, secret: String(token.secret), expire: String(token.expire) });
    ctx.outbox.add({ kind: 'recovery', channel: 'email', to: email, userId, secret: String(token.secret), url });
    return json(201, tokenView(token, ctx.caller));
  },
  // The new password is set and the email counts as verified (it received the link).
  accountUpdateRecovery: (ctx) =>
    confirm(ctx, 'recovery', (user) => {
      ctx.tx.assign(user, { passwordCheck: passwordCheck(String(ctx.params.password)) });
      ctx.tx.assign(user.model, {
        hash: 'argon2',
        hashOptions: { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 },
        passwordUpdate: isoDate(),
        emailVerification: true,
      });
    }),
};
