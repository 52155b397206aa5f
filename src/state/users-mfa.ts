import { authenticatorOf, dropAuthenticator, factorsView, newRecoveryCodes, recoveryCodesOf, recoveryCodesView } from './mfa.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { StateRoutes } from './state-request.js';
import { user } from './users.js';

/** The Users service's MFA routes (app/controllers/api/users.php:1553-1754 at 1.5.0), for a key. */
export const userMfaRoutes: StateRoutes = {
  usersListMfaFactors: ({ params, data }) => json(200, factorsView(user(data, params.userId))),
  usersGetMfaRecoveryCodes: ({ params, data }) => json(200, recoveryCodesView(recoveryCodesOf(user(data, params.userId)))),
  // users.php:1621-1665: once only; 200 though labelled 201.
  usersCreateMfaRecoveryCodes: ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    if ((entry.mfa?.recoveryCodes.length ?? 0) > 0) fail('user_recovery_codes_already_exists');
    return json(200, recoveryCodesView(newRecoveryCodes(tx, entry)));
  },
  usersUpdateMfaRecoveryCodes: ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    recoveryCodesOf(entry);
    return json(200, recoveryCodesView(newRecoveryCodes(tx, entry)));
  },
  // users.php:1712-1753: no code asked; 204 though labelled 200.
  usersDeleteMfaAuthenticator: ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    if (!authenticatorOf(entry)) fail('user_authenticator_not_found');
    dropAuthenticator(tx, entry);
    return noContent();
  },
};
