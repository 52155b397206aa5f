import { extendableCopy } from '../model/extendable-copy.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model, ReadonlyDeep, UserEntry } from './state-data.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { listReply, need } from './table.js';
import { userBy } from './user-index.js';
import { changeUser, createUser, passwordMatches, setUserPassword, updatedUser } from './users.js';
import { accountView, withAccount } from './account-view.js';
import { signOutHeaders } from './account-session.js';

/**
 * The password check of the email and phone updates (app/controllers/api/account.php:2570-2741 at 1.5.0):
 * a user who has a password must give it; one who has none (anonymous) sets it with this call.
 */
function checkPassword(ctx: StateContext, user: ReadonlyDeep<UserEntry>, password: string): void {
  if (user.model.passwordUpdate !== '' && !passwordMatches(user.passwordCheck, password)) fail('user_invalid_credentials');
  if (user.model.passwordUpdate === '') setPassword(ctx, user, password);
}

function setPassword({ tx }: StateContext, user: ReadonlyDeep<UserEntry>, password: string): void {
  setUserPassword(tx, user, password);
}

/** Sets fields of the user as the Users service does (index, targets, the update recorded); answers the account. */
function update(ctx: StateContext, user: ReadonlyDeep<UserEntry>, fields: Model): Model {
  changeUser(ctx.tx, ctx.data, user, fields);
  return accountView(user);
}

export const profileRoutes: StateRoutes = {
  // app/controllers/api/account.php:167-305 at 1.5.0: the account model, never the password or its hash.
  accountCreate: (ctx) => json(201, accountView(createUser(ctx, ctx.params, null, undefined, { signedUp: true }).entry)),
  accountGet: withAccount(({ user }) => json(200, accountView(user))),
  accountGetPrefs: withAccount(({ user }) => json(200, extendableCopy(user.model.prefs as Model))),
  accountUpdatePrefs: withAccount(({ user }, ctx) => json(200, update(ctx, user, { prefs: ctx.params.prefs ?? {} }))),
  accountUpdateName: withAccount(({ user }, ctx) => json(200, update(ctx, user, { name: ctx.params.name }))),
  accountUpdateEmail: withAccount(({ user }, ctx) => {
    const email = String(ctx.params.email).toLowerCase();
    checkPassword(ctx, user, String(ctx.params.password));
    const other = userBy(ctx.data.users, 'email', email);
    // A duplicate is a plain bad request, so as not to tell who has an account.
    if (other && other !== user) fail('general_bad_request');
    return json(200, update(ctx, user, { email, emailVerification: false }));
  }),
  accountUpdatePhone: withAccount(({ user }, ctx) => {
    const phone = String(ctx.params.phone);
    checkPassword(ctx, user, String(ctx.params.password));
    const other = userBy(ctx.data.users, 'phone', phone);
    if (other && other !== user) fail('user_phone_already_exists');
    return json(200, update(ctx, user, { phone, phoneVerification: false }));
  }),
  // app/controllers/api/account.php:2501-2568 at 1.5.0: the old password is checked when there is one.
  accountUpdatePassword: withAccount(({ user }, ctx) => {
    if (user.model.passwordUpdate !== '' && !passwordMatches(user.passwordCheck, String(ctx.params.oldPassword ?? ''))) fail('user_invalid_credentials');
    setPassword(ctx, user, String(ctx.params.password));
    updatedUser(ctx.tx, user);
    return json(200, accountView(user));
  }),
  // app/controllers/api/account.php:2776-2817 at 1.5.0: the user is blocked and signed out of this browser.
  accountUpdateStatus: withAccount(({ user }, ctx) => {
    const view = update(ctx, user, { status: false });
    return { status: 200, headers: Object.assign({ 'content-type': 'application/json' }, signOutHeaders(ctx.caller.credentials.project)), body: { kind: 'json', value: view } };
  }),
  accountListIdentities: withAccount(({ user }, { params, data }) =>
    listReply('identities', [...data.identities.values()].filter((i) => i.userId === user.model.$id), params, { noun: 'Identity' }),
  ),
  accountDeleteIdentity: withAccount(({ user }, { params, data, tx }) => {
    const identity = need(data.identities, params.identityId, 'user_identity_not_found');
    if (identity.userId !== user.model.$id) fail('user_identity_not_found');
    tx.delete(data.identities, String(identity.$id), { resource: 'identity', ids: { userId: String(user.model.$id), identityId: String(identity.$id) } }, identity);
    return noContent();
  }),
  accountListLogs: withAccount(() => json(200, { total: 0, logs: [] })),
};
