/**
 * The operations of Appwrite's `mfa` route group: the ones a session still short of the factors its user's
 * MFA asks for may call (app/controllers/api/account.php:532, 3509, 3845 and 4033 at 1.5.0); every other
 * route answers it 401 `user_more_factors_required` (app/controllers/shared/api.php:283-295).
 */
export const MFA_GROUP: ReadonlySet<string> = new Set([
  'accountDeleteSession',
  'accountListMfaFactors',
  'accountCreateMfaChallenge',
  'accountUpdateMfaChallenge',
]);
