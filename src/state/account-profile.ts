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
 * An email or phone change (account.php:2596-2632 and 2686-2721 at 1.5.0): the password is checked when the
 * user has one, the new value must be no target's yet, and a user without a password (anonymous) takes this one.
 */
function beforeContactChange(ctx: StateContext, user: ReadonlyDeep<UserEntry>, field: 'email' | 'phone', value: string): void {
  const password = String(ctx.params.password);
  if (user.model.passwordUpdate !== '' && !passwordMatches(user.passwordCheck, password)) fail('user_invalid_credentials');
  refuseTakenTarget(ctx, value);
  // Another user's value without a target: the write fails on the unique index (account.php:2652-2654, 2733-2735);
  // an email is then a plain bad request, so as not to tell who has an account. Checked before anything is written.
  const other = userBy(ctx.data.users, field, value);
  if (other && other !== user) fail(field === 'email' ? 'general_bad_request' : 'user_phone_already_exists');
  if (user.model.passwordUpdate === '') setPassword(ctx, user, password);
}

function setPassword({ tx }: StateContext, user: ReadonlyDeep<UserEntry>, password: string): void {
  setUserPassword(tx, user, password);
}

/** Sets fields of the user (index, an old target renamed, the update recorded); answers the account. */
function update(ctx: StateContext, user: ReadonlyDeep<UserEntry>, fields: Model): Model {
  changeUser(ctx.tx, ctx.data, user, fields, 'rename');
  return accountView(user);
}

/**
 * account.php:2634-2640 and 2700-2706 at 1.5.0: an email or phone that is already some target's identifier
 * (any user's, the caller's own included) is 409 `user_target_already_exists`, checked before the user is written.
 */
function refuseTakenTarget(ctx: StateContext, identifier: string): void {
  for (const entry of ctx.data.users.values())
    for (const target of entry.targets.values()) if (target.identifier === identifier) fail('user_target_already_exists');
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
    beforeContactChange(ctx, user, 'email', email);
    return json(200, update(ctx, user, { email, emailVerification: false }));
  }),
  accountUpdatePhone: withAccount(({ user }, ctx) => {
    const phone = String(ctx.params.phone);
    beforeContactChange(ctx, user, 'phone', phone);
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
    return {
      status: 200,
      headers: Object.assign({ 'content-type': 'application/json' }, signOutHeaders(ctx.caller.credentials.project)),
      body: { kind: 'json', value: view },
    };
  }),
  accountListIdentities: withAccount(({ user }, { params, data }) =>
    listReply(
      'identities',
      [...data.identities.values()].filter((i) => i.userId === user.model.$id),
      params,
      { noun: 'Identity', route: 'identities' },
    ),
  ),
  accountDeleteIdentity: withAccount(({ user }, { params, data, tx }) => {
    const identity = need(data.identities, params.identityId, 'user_identity_not_found');
    if (identity.userId !== user.model.$id) fail('user_identity_not_found');
    tx.delete(
      data.identities,
      String(identity.$id),
      { resource: 'identity', ids: { userId: String(user.model.$id), identityId: String(identity.$id) } },
      identity,
    );
    return noContent();
  }),
  accountListLogs: withAccount(() => json(200, { total: 0, logs: [] })),
};
