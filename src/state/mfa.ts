import { totpMatches } from '../auth/totp.js';
import { hexSecret } from './account-tokens.js';
import { secretDigest } from './state-codec.js';
import type { MfaEntry, Model, ReadonlyDeep, UserEntry } from './state-data.js';
import { fail } from './state-failure.js';
import type { Tx } from './tx.js';
import { updatedUser } from './users.js';

type Mfa = ReadonlyDeep<MfaEntry>;

/** A user's MFA entry, made empty on first use. */
export function mfaOf(tx: Tx, entry: ReadonlyDeep<UserEntry>): Mfa {
  if (!entry.mfa) tx.assign(entry, { mfa: { totp: null, recoveryCodes: [], challenges: new Map() } });
  return entry.mfa as Mfa;
}

/** The user's TOTP authenticator, verified or not (TOTP::getAuthenticatorFromUser at 1.5.0). */
export function authenticatorOf(entry: ReadonlyDeep<UserEntry>): Mfa['totp'] {
  return entry.mfa?.totp ?? null;
}

/** Whether `otp` is the current code of the user's authenticator (Challenge\TOTP::verify at 1.5.0). */
export function totpVerifies(entry: ReadonlyDeep<UserEntry>, otp: string): boolean {
  const totp = authenticatorOf(entry);
  return totp !== null && totpMatches(totp.secret, otp);
}

/** The factors a user can be challenged with (`GET /account/mfa/factors`, account.php:3507-3533 at 1.5.0). */
export function factorsView(entry: ReadonlyDeep<UserEntry>): Model {
  const { model } = entry;
  return {
    totp: authenticatorOf(entry)?.verified === true,
    phone: model.phone !== '' && model.phoneVerification === true,
    email: model.email !== '' && model.emailVerification === true,
  };
}

/**
 * Whether a session lacks the factors its user's MFA asks for (app/controllers/shared/api.php:283-295 at
 * 1.5.0): with `mfa` on and a second factor to give (a verified email, phone or authenticator), a session
 * needs two factors; every route outside the `mfa` group then answers 401 `user_more_factors_required`.
 */
export function moreFactorsRequired(entry: ReadonlyDeep<UserEntry>, session: Readonly<Model>): boolean {
  if (entry.model.mfa !== true) return false;
  const factors = factorsView(entry);
  const minimum = factors.totp === true || factors.phone === true || factors.email === true ? 2 : 1;
  return (Array.isArray(session.factors) ? session.factors.length : 0) < minimum;
}

/** Six new recovery codes of 10 hex characters (Type::generateBackupCodes at 1.5.0), stored; returns them. */
export function newRecoveryCodes(tx: Tx, entry: ReadonlyDeep<UserEntry>): string[] {
  const codes = Array.from({ length: 6 }, () => hexSecret(10));
  tx.assign(mfaOf(tx, entry), { recoveryCodes: codes });
  updatedUser(tx, entry);
  return [...codes];
}

/** The user's recovery codes, refused with `user_recovery_codes_not_found` when there are none. */
export function recoveryCodesOf(entry: ReadonlyDeep<UserEntry>): string[] {
  const codes = entry.mfa?.recoveryCodes ?? [];
  if (codes.length === 0) fail('user_recovery_codes_not_found');
  return [...codes];
}

/** The recovery-code answer (Response::MODEL_MFA_RECOVERY_CODES). */
export function recoveryCodesView(codes: readonly string[]): Model {
  return { recoveryCodes: [...codes] };
}

/** Spends a recovery code when it is one of the user's (a code read back from a state file is its digest); whether it was. */
export function spendRecoveryCode(tx: Tx, entry: ReadonlyDeep<UserEntry>, otp: string): boolean {
  const codes = entry.mfa?.recoveryCodes ?? [];
  const digest = secretDigest(otp);
  const at = otp === '' ? -1 : codes.findIndex((code) => code === otp || code === digest);
  if (at === -1) return false;
  tx.assign(mfaOf(tx, entry), { recoveryCodes: codes.filter((_, i) => i !== at) });
  updatedUser(tx, entry);
  return true;
}

/** Removes the user's authenticator. */
export function dropAuthenticator(tx: Tx, entry: ReadonlyDeep<UserEntry>): void {
  tx.assign(mfaOf(tx, entry), { totp: null });
  updatedUser(tx, entry);
}
