import { extendableCopy } from '../model/extendable-copy.js';
import { fail } from './state-failure.js';
import type { Model, ReadonlyDeep, UserEntry } from './state-data.js';
import type { StateContext, StateHandler } from './state-request.js';
import { userView } from './users.js';
import type { VcrResponse } from '../model/exchange.js';

/** The signed-in user of an account route and the session they call with. */
export interface Account {
  user: ReadonlyDeep<UserEntry>;
  sessionId: string | null;
}

/**
 * The account as Appwrite answers it to its own user (Response::MODEL_ACCOUNT): the user model without
 * `password`, `hash` and `hashOptions`.
 */
export function accountView(entry: ReadonlyDeep<UserEntry>): Model {
  const view = userView(entry);
  delete view.password;
  delete view.hash;
  delete view.hashOptions;
  return view;
}

/** A session as its user sees it: `current` for the one they call with, the secret withheld. */
export function sessionView(session: Readonly<Model>, currentId: string | null): Model {
  return Object.assign(extendableCopy(session as Model), { secret: '', current: session.$id === currentId });
}

/**
 * An account route: answers for a caller the state knows; a user nobody knows (the schema fallback takes
 * any session at its word) falls through to the schema.
 */
export function withAccount(answer: (account: Account, ctx: StateContext) => VcrResponse | null): StateHandler {
  return (ctx) => {
    const user = ctx.caller.userId === null ? undefined : ctx.data.users.get(ctx.caller.userId);
    return user ? answer({ user, sessionId: ctx.caller.sessionId }, ctx) : null;
  };
}

/**
 * A sign-in route: refused while the caller is signed in (app/controllers/shared/api.php:474-486 at 1.5.0,
 * the `session` group).
 */
export function signedOut(answer: StateHandler): StateHandler {
  return (ctx) => {
    if (ctx.caller.role === 'users') fail('user_session_already_exists');
    return answer(ctx);
  };
}
