import { newTotpSecret, totpMatches, totpUri } from '../auth/totp.js';
import { code, TOKEN_SECONDS } from './account-tokens.js';
import { accountView, sessionView, withAccount, type Account } from './account-view.js';
import { isoDate, uniqueId } from './ids.js';
import {
  authenticatorOf,
  dropAuthenticator,
  factorsView,
  mfaOf,
  newRecoveryCodes,
  recoveryCodesOf,
  recoveryCodesView,
  spendRecoveryCode,
  totpVerifies,
} from './mfa.js';
import { json, noContent } from './reply.js';
import { secretDigest } from './state-codec.js';
import type { Model } from './state-data.js';
import { fail } from './state-failure.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { changeUser, sessionRef, updatedUser } from './users.js';

/** How long a completed challenge keeps the `mfaProtected` routes open (Auth::MFA_RECENT_DURATION at 1.5.0). */
const MFA_RECENT_MS = 1800 * 1000;

/** The caller's session with `factor` appended (Document::SET_TYPE_APPEND: a factor given twice is listed twice, as 1.5.0 answers). */
function addFactor(ctx: StateContext, { user, sessionId }: Account, factor: string, challenged: boolean): Readonly<Model> | null {
  const session = sessionId === null ? undefined : user.sessions.get(sessionId);
  if (!session || sessionId === null) return null;
  const factors = Array.isArray(session.factors) ? session.factors : [];
  ctx.tx.assign(session, { factors: [...factors, factor], mfaUpdatedAt: challenged ? isoDate() : undefined }, false);
  ctx.tx.record('update', sessionRef(String(user.model.$id), sessionId), sessionView(session, sessionId));
  return session;
}

/** The `mfaProtected` group (app/controllers/shared/api/auth.php:12-29 at 1.5.0): a challenge completed in the last 30 minutes. */
function recentlyChallenged({ user, sessionId }: Account): void {
  const updated = sessionId === null ? '' : String(user.sessions.get(sessionId)?.mfaUpdatedAt ?? '');
  if (updated === '' || new Date(updated).getTime() + MFA_RECENT_MS < Date.now()) fail('user_challenge_required');
}

/** Appwrite's database date (`Y-m-d H:i:s.v`), which `PUT /account/mfa/challenge` answers `mfaUpdatedAt` in, as a real 1.5.0 did. */
function databaseDate(iso: string): string {
  return iso.replace('T', ' ').slice(0, 23);
}

export const mfaRoutes: StateRoutes = {
  // app/controllers/api/account.php:3473-3505 at 1.5.0.
  accountUpdateMFA: withAccount(({ user }, ctx) => {
    changeUser(ctx.tx, ctx.data, user, { mfa: ctx.params.mfa });
    return json(200, accountView(user));
  }),
  // account.php:3507-3533: which factors the user can be challenged with.
  accountListMfaFactors: withAccount(({ user }) => json(200, factorsView(user))),
  // account.php:3535-3605: a new unverified authenticator replaces an unverified one; the issuer is the project (its ID here).
  accountCreateMfaAuthenticator: withAccount(({ user }, ctx) => {
    if (authenticatorOf(user)?.verified === true) fail('user_authenticator_already_verified');
    const secret = newTotpSecret();
    ctx.tx.assign(mfaOf(ctx.tx, user), { totp: { $id: uniqueId(), type: 'totp', verified: false, secret } });
    updatedUser(ctx.tx, user);
    return json(200, { secret, uri: totpUri(secret, ctx.caller.credentials.project, String(user.model.email ?? '')) });
  }),
  // account.php:3607-3668: the current code verifies it and counts as a factor of the session.
  accountUpdateMfaAuthenticator: withAccount((account, ctx) => {
    const totp = authenticatorOf(account.user);
    if (!totp) fail('user_authenticator_not_found');
    if (totp.verified) fail('user_authenticator_already_verified');
    if (!totpMatches(totp.secret, String(ctx.params.otp))) fail('user_invalid_token');
    ctx.tx.assign(mfaOf(ctx.tx, account.user), { totp: { ...totp, verified: true } });
    updatedUser(ctx.tx, account.user);
    addFactor(ctx, account, 'totp', false);
    return json(200, accountView(account.user));
  }),
  // account.php:3783-3841: a current code or a recovery code (spent) deletes it; 204 though labelled 200.
  accountDeleteMfaAuthenticator: withAccount(({ user }, ctx) => {
    if (!authenticatorOf(user)) fail('user_authenticator_not_found');
    const otp = String(ctx.params.otp ?? '');
    if (!totpVerifies(user, otp) && !spendRecoveryCode(ctx.tx, user, otp)) fail('user_invalid_token');
    dropAuthenticator(ctx.tx, user);
    return noContent();
  }),
  // account.php:3670-3710: once only; 200 though labelled 201.
  accountCreateMfaRecoveryCodes: withAccount(({ user }, ctx) => {
    if ((user.mfa?.recoveryCodes.length ?? 0) > 0) fail('user_recovery_codes_already_exists');
    return json(200, recoveryCodesView(newRecoveryCodes(ctx.tx, user)));
  }),
  // account.php:3712-3751.
  accountUpdateMfaRecoveryCodes: withAccount((account, ctx) => {
    recentlyChallenged(account);
    recoveryCodesOf(account.user);
    return json(200, recoveryCodesView(newRecoveryCodes(ctx.tx, account.user)));
  }),
  // account.php:3753-3781.
  accountGetMfaRecoveryCodes: withAccount((account) => {
    recentlyChallenged(account);
    return json(200, recoveryCodesView(recoveryCodesOf(account.user)));
  }),
  // account.php:3843-4029: a 6-digit code, sent by email or SMS for those factors (to the outbox); an hour; 200 though labelled 201.
  accountCreateMfaChallenge: withAccount(({ user }, ctx) => {
    const factor = String(ctx.params.factor);
    const { model } = user;
    if (factor === 'phone' && model.phone === '') fail('user_phone_not_found');
    if (factor === 'phone' && model.phoneVerification !== true) fail('user_phone_not_verified');
    if (factor === 'email' && model.email === '') fail('user_email_not_found');
    if (factor === 'email' && model.emailVerification !== true) fail('user_email_not_verified');
    const id = uniqueId();
    const userId = String(model.$id);
    const secret = code();
    const view: Model = { $id: id, $createdAt: isoDate(), userId, expire: isoDate(new Date(Date.now() + TOKEN_SECONDS.confirm * 1000)) };
    ctx.tx.link(mfaOf(ctx.tx, user).challenges, id, { ...view, type: factor, secret });
    if (factor === 'email') ctx.outbox.add({ kind: 'mfa-email', channel: 'email', to: String(model.email), userId, secret, url: null });
    if (factor === 'phone') ctx.outbox.add({ kind: 'mfa-phone', channel: 'sms', to: String(model.phone), userId, secret, url: null });
    return json(200, view);
  }),
  // account.php:4031-4114: the factor joins the session's; answers the session (200 though labelled 204).
  accountUpdateMfaChallenge: withAccount((account, ctx) => {
    const { user } = account;
    const challengeId = String(ctx.params.challengeId);
    const challenge = user.mfa?.challenges.get(challengeId);
    if (!challenge) fail('user_invalid_token');
    const otp = String(ctx.params.otp);
    const type = String(challenge.type);
    const sent = challenge.secret === otp || challenge.secret === secretDigest(otp);
    // @note The SDKs send `recoverycode` (the spec's enum); 1.5.0 compared it with `recoveryCode` and refused every one, which later 1.5 releases fixed (strtolower).
    const passed =
      type === 'totp'
        ? totpVerifies(user, otp)
        : type === 'email' || type === 'phone'
          ? otp !== '' && sent
          : type.toLowerCase() === 'recoverycode' && spendRecoveryCode(ctx.tx, user, otp);
    if (!passed) fail('user_invalid_token');
    ctx.tx.unlink(mfaOf(ctx.tx, user).challenges, challengeId);
    const session = addFactor(ctx, account, type, true);
    if (!session) fail('user_session_not_found');
    return json(200, Object.assign(sessionView(session, null), { mfaUpdatedAt: databaseDate(String(session.mfaUpdatedAt)) }));
  }),
};
