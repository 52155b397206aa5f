import { headerText } from '../model/header-value.js';
import { deviceFields } from './user-agent.js';
import { scryptSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { isoDate, resolveId, secret } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model, ReadonlyDeep, StateView, UserEntry } from './state-data.js';
import type { StateContext, StateHandler, StateRoutes } from './state-request.js';
import { created, listReply, need } from './table.js';
import type { Tx } from './tx.js';
import { indexSession } from './session-index.js';
import { indexUser, unindexUser, userBy } from './user-index.js';
import { extendableCopy } from '../model/extendable-copy.js';

/** Appwrite's argon2 defaults, reported for users whose password it hashed itself. */
const ARGON2_DEFAULTS = { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 };
/** A session lasts a year by default (Appwrite's auth duration). */
const SESSION_SECONDS = 365 * 24 * 3600;

export function user(data: StateView, id: unknown): ReadonlyDeep<UserEntry> {
  return need(data.users, id, 'user_not_found');
}

export const userRef = (userId: string) => ({ resource: 'user', ids: { userId } }) as const;
export const sessionRef = (userId: string, sessionId: string) => ({ resource: 'session', ids: { userId, sessionId } }) as const;
const tokenRef = (userId: string, tokenId: string) => ({ resource: 'token', ids: { userId, tokenId } }) as const;
const targetRef = (userId: string, targetId: string) => ({ resource: 'target', ids: { userId, targetId } }) as const;
const identityRef = (userId: string, identityId: string) => ({ resource: 'identity', ids: { userId, identityId } }) as const;

/** The user model with its targets, as Appwrite answers it. */
export function userView(entry: ReadonlyDeep<UserEntry>): Model {
  return Object.assign(extendableCopy(entry.model as Model), { targets: [...entry.targets.values()] });
}

/** A session as it is listed: its secret withheld. */
function listedSession(session: Readonly<Model>): Model {
  return Object.assign(extendableCopy(session as Model), { secret: '' });
}

/** A check value for a plain password (scrypt, salted): the password itself is never kept. */
export function passwordCheck(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, 32, { N: 1024 }).toString('hex')}`;
}

export function passwordMatches(check: string | null, password: string): boolean {
  if (!check) return false;
  const [, salt, hash] = check.split('$');
  const actual = scryptSync(password, Buffer.from(salt ?? '', 'hex'), 32, { N: 1024 });
  return timingSafeEqual(actual, Buffer.from(hash ?? '', 'hex'));
}

function ensureUnique(
  data: StateView,
  id: string | null,
  email: unknown,
  phone: unknown,
  type: 'user_already_exists' | 'user_email_already_exists' | 'user_phone_already_exists' = 'user_already_exists',
): void {
  const sameEmail = typeof email === 'string' ? userBy(data.users, 'email', email) : undefined;
  if (sameEmail && sameEmail.model.$id !== id) fail(type === 'user_already_exists' ? type : 'user_email_already_exists');
  const samePhone = typeof phone === 'string' ? userBy(data.users, 'phone', phone) : undefined;
  if (samePhone && samePhone.model.$id !== id) fail(type === 'user_already_exists' ? type : 'user_phone_already_exists');
}

/**
 * Creates a user; `hash` names the algorithm of an imported password hash, null for a plain one;
 * `signedUp`: made by the Account service (sign-up, anonymous, token sign-ins) rather than by Users.
 * Returns the stored entry and the user as Appwrite answers it.
 */
export function createUser(
  { data, tx }: Pick<StateContext, 'data' | 'tx'>,
  params: Record<string, unknown>,
  hash: string | null,
  hashOptions: Model = { type: hash },
  options: { signedUp?: boolean } = {},
): { entry: ReadonlyDeep<UserEntry>; model: Model } {
  const id = resolveId(params.userId);
  if (data.users.has(id)) fail('user_already_exists');
  const email = typeof params.email === 'string' ? params.email.toLowerCase() : '';
  ensureUnique(data, null, email, params.phone);
  const base = created(id);
  const password = params.password as string | undefined;
  const model: Model = Object.assign(base, { name: params.name ?? '' });
  const check = hash === null && password ? passwordCheck(password) : null;
  // @note Appwrite answers users with their password hash; a plain password is kept only as the state's own
  // salted scrypt check (docs/state.md), and that check is what `password` shows.
  if (hash !== null && password !== undefined) Object.assign(model, { password, hash, hashOptions });
  else if (check) Object.assign(model, { password: check, hash: 'argon2', hashOptions: ARGON2_DEFAULTS });
  Object.assign(model, {
    registration: base.$createdAt,
    status: true,
    labels: [],
    passwordUpdate: password ? base.$createdAt : '',
    email,
    phone: params.phone ?? '',
    emailVerification: false,
    phoneVerification: false,
    mfa: false,
    prefs: {},
    // The account routes that make a user count its first access (account.php:267, 883, 1722, 1961, 2237 at 1.5.0); Users does not.
    accessedAt: options.signedUp ? base.$createdAt : '',
  });
  const entry: UserEntry = { model, passwordCheck: check, sessions: new Map(), tokens: new Map(), targets: new Map(), memberships: new Map() };
  tx.create(data.users, id, entry, userRef(id), userView(entry));
  indexUser(data.users, entry);
  // users.php createUser() at 1.5.0: an email target, then an sms target for a phone, at once.
  if (email) addTarget(tx, entry, 'email', email);
  if (typeof params.phone === 'string' && params.phone !== '') addTarget(tx, entry, 'sms', params.phone);
  return { entry, model: userView(entry) };
}

/** A target Appwrite makes itself for a user's email or phone (no provider, no name). */
function addTarget(tx: Tx, entry: ReadonlyDeep<UserEntry>, providerType: 'email' | 'sms', identifier: string): void {
  const base = created(resolveId('unique()'));
  const target: Model = Object.assign(base, { name: '', userId: entry.model.$id, providerId: null, providerType, identifier });
  tx.create(entry.targets, String(base.$id), target, targetRef(String(entry.model.$id), String(base.$id)), target);
}

/**
 * Follows a changed email or phone in the target Appwrite made for the old one (users.php:1234-1258 at
 * 1.5.0): the target takes the new identifier, is deleted when the new one is empty, or is made when
 * there was none.
 */
/**
 * How a user's email and sms targets follow a change of email or phone. `follow` (the Users service,
 * users.php:1190-1250 and 1270-1340 at 1.5.0): the old target is renamed, removed with the value, or made
 * when there was none. `rename` (the Account service, account.php:2642-2651 and 2723-2732): an old target
 * is renamed, nothing else; an anonymous account that takes an email has no email target.
 */
export type TargetRule = 'follow' | 'rename';

function followTarget(tx: Tx, entry: ReadonlyDeep<UserEntry>, providerType: 'email' | 'sms', before: unknown, after: string, rule: TargetRule): void {
  if (before === after) return;
  const old = [...entry.targets.values()].find((t) => t.providerType === providerType && t.identifier === before);
  const userId = String(entry.model.$id);
  if (old && after !== '') {
    tx.assign(old, { identifier: after });
    tx.record('update', targetRef(userId, String(old.$id)), old);
  } else if (rule === 'rename') {
    return;
  } else if (old) {
    tx.delete(entry.targets, String(old.$id), targetRef(userId, String(old.$id)), old);
  } else if (after !== '') {
    addTarget(tx, entry, providerType, after);
  }
}

/** An import of a hashed password; `options`: what Appwrite keeps of the algorithm's parameters in `hashOptions`. */
function hashed(algorithm: string, options: (params: Record<string, unknown>) => Model = () => ({})): StateHandler {
  return (ctx) => json(201, createUser(ctx, ctx.params, algorithm, Object.assign(options(ctx.params), { type: algorithm })).model);
}

/** Records an update of a user (the answer is the user as Appwrite answers it). */
export function updatedUser(tx: Tx, entry: ReadonlyDeep<UserEntry>): Model {
  return tx.record('update', userRef(String(entry.model.$id)), userView(entry));
}

/**
 * Sets fields of a user as the Users and Account services both do: the email and phone index kept, the email
 * and sms targets following the email and phone by the service's rule, the update recorded. Returns the user as Users answers it.
 */
export function changeUser(tx: Tx, data: StateView, entry: ReadonlyDeep<UserEntry>, fields: Readonly<Model>, targets: TargetRule = 'follow'): Model {
  const previous = { email: entry.model.email, phone: entry.model.phone };
  tx.assign(entry.model, fields);
  indexUser(data.users, entry, previous);
  followTarget(tx, entry, 'email', previous.email, String(entry.model.email ?? ''), targets);
  followTarget(tx, entry, 'sms', previous.phone, String(entry.model.phone ?? ''), targets);
  return updatedUser(tx, entry);
}

/** A new plain password: its check kept (and shown as the hash), argon2 reported, `passwordUpdate` now; '' removes it. */
export function setUserPassword(tx: Tx, entry: ReadonlyDeep<UserEntry>, password: string): void {
  const check = password === '' ? null : passwordCheck(password);
  tx.assign(entry, { passwordCheck: check });
  if (check) tx.assign(entry.model, { password: check });
  else tx.unset(entry.model, 'password');
  tx.assign(entry.model, { hash: 'argon2', hashOptions: ARGON2_DEFAULTS, passwordUpdate: isoDate() });
}

function change(fields: (params: Record<string, unknown>, entry: ReadonlyDeep<UserEntry>, data: StateView) => Record<string, unknown>): StateHandler {
  return ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    return json(200, changeUser(tx, data, entry, fields(params, entry, data)));
  };
}

/** A new session of a user, as the Users service and the account sign-ins make them; returns the stored session. */
export function createSession(
  { data, tx, headers }: Pick<StateContext, 'data' | 'tx' | 'headers'>,
  entry: ReadonlyDeep<UserEntry>,
  provider: string,
  factors: string[] = [provider === 'email' ? 'password' : provider],
): Readonly<Model> {
  const base = created(resolveId('unique()'));
  const session: Model = {
    $id: base.$id,
    $createdAt: base.$createdAt,
    userId: entry.model.$id,
    expire: isoDate(new Date(Date.now() + SESSION_SECONDS * 1000)),
    provider,
    providerUid: provider === 'email' ? entry.model.email : '',
    providerAccessToken: '',
    providerAccessTokenExpiry: '',
    providerRefreshToken: '',
    ip: '127.0.0.1',
    // account.php:81-109 and 741-760 at 1.5.0 (users.php's createSession alike): the OS, client and device of the caller's agent.
    ...deviceFields(headerText(headers, 'user-agent')),
    countryCode: '--',
    countryName: 'Unknown',
    current: false,
    factors,
    secret: secret(),
    mfaUpdatedAt: '',
  };
  const userId = String(entry.model.$id);
  tx.create(entry.sessions, base.$id, session, sessionRef(userId, base.$id), listedSession(session));
  indexSession(data.users, userId, base.$id, session.secret as string);
  tx.assign(entry.model, { accessedAt: base.$createdAt }, false);
  return session;
}

/** Deletes a session of a user. */
export function deleteSession(tx: Tx, entry: ReadonlyDeep<UserEntry>, sessionId: string): void {
  const session = need(entry.sessions, sessionId, 'user_session_not_found');
  tx.delete(entry.sessions, sessionId, sessionRef(String(entry.model.$id), sessionId), listedSession(session));
}

/** Deletes a user with its sessions, tokens, targets, identities and memberships. */
function deleteUser({ data, tx }: Pick<StateContext, 'data' | 'tx'>, entry: ReadonlyDeep<UserEntry>): void {
  const userId = String(entry.model.$id);
  tx.delete(data.users, userId, userRef(userId), userView(entry));
  unindexUser(data.users, entry);
  tx.cascade(() => {
    for (const id of entry.sessions.keys()) deleteSession(tx, entry, id);
    for (const [membershipId, teamId] of entry.memberships) {
      const team = data.teams.get(teamId);
      const membership = team?.memberships.get(membershipId);
      if (team && membership) tx.delete(team.memberships, membershipId, { resource: 'membership', ids: { teamId, membershipId } }, membership);
    }
    for (const [id, identity] of data.identities) if (identity.userId === userId) tx.delete(data.identities, id, identityRef(userId, id), identity);
  });
}

export const userRoutes: StateRoutes = {
  usersList: ({ params, data }) =>
    listReply('users', data.users.values(), params, {
      noun: 'User',
      route: 'users',
      searchIn: (m) => [String(m.$id), String(m.name), String(m.email), String(m.phone)],
      view: userView,
    }),
  usersCreate: (ctx) => json(201, createUser(ctx, ctx.params, null).model),
  // users.php:232-441 at 1.5.0: argon2, bcrypt, md5 and phpass keep no options ('{}'), sha its version when given,
  // scrypt its salt and costs, scryptMod its salt, separator and signer key.
  usersCreateArgon2User: hashed('argon2'),
  usersCreateBcryptUser: hashed('bcrypt'),
  usersCreateMD5User: hashed('md5'),
  usersCreatePHPassUser: hashed('phpass'),
  usersCreateSHAUser: hashed('sha', (p) => (typeof p.passwordVersion === 'string' && p.passwordVersion !== '' ? { version: p.passwordVersion } : {})),
  usersCreateScryptUser: hashed('scrypt', (p) => ({
    salt: p.passwordSalt,
    costCpu: p.passwordCpu,
    costMemory: p.passwordMemory,
    costParallel: p.passwordParallel,
    length: p.passwordLength,
  })),
  usersCreateScryptModifiedUser: hashed('scryptMod', (p) => ({ salt: p.passwordSalt, saltSeparator: p.passwordSaltSeparator, signerKey: p.passwordSignerKey })),
  usersGet: ({ params, data }) => json(200, userView(user(data, params.userId))),
  usersDelete: (ctx) => {
    deleteUser(ctx, user(ctx.data, ctx.params.userId));
    return noContent();
  },
  usersUpdateEmail: change((params, entry, data) => {
    const email = String(params.email).toLowerCase();
    ensureUnique(data, entry.model.$id as string, email, undefined);
    return { email, emailVerification: email === entry.model.email ? entry.model.emailVerification : false };
  }),
  usersUpdatePhone: change((params, entry, data) => {
    ensureUnique(data, entry.model.$id as string, undefined, params.number);
    return { phone: params.number, phoneVerification: params.number === entry.model.phone ? entry.model.phoneVerification : false };
  }),
  usersUpdateName: change((params) => ({ name: params.name })),
  usersUpdateLabels: change((params) => ({ labels: [...new Set(params.labels as string[])] })),
  usersUpdateStatus: change((params) => ({ status: params.status })),
  usersUpdateMfa: change((params) => ({ mfa: params.mfa })),
  usersUpdateEmailVerification: change((params) => ({ emailVerification: params.emailVerification })),
  usersUpdatePhoneVerification: change((params) => ({ phoneVerification: params.phoneVerification })),
  usersUpdatePassword: ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    setUserPassword(tx, entry, String(params.password));
    return json(200, updatedUser(tx, entry));
  },
  usersGetPrefs: ({ params, data }) => json(200, user(data, params.userId).model.prefs),
  usersUpdatePrefs: ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    tx.assign(entry.model, { prefs: params.prefs ?? {} });
    updatedUser(tx, entry);
    return json(200, entry.model.prefs);
  },
  usersListSessions: ({ params, data }) => {
    const sessions = [...user(data, params.userId).sessions.values()].map(listedSession);
    return json(200, { total: sessions.length, sessions });
  },
  usersCreateSession: (ctx) => json(201, extendableCopy(createSession(ctx, user(ctx.data, ctx.params.userId), 'server') as Model)),
  usersDeleteSessions: ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    for (const id of [...entry.sessions.keys()]) deleteSession(tx, entry, id);
    return noContent();
  },
  usersDeleteSession: ({ params, data, tx }) => {
    deleteSession(tx, user(data, params.userId), params.sessionId as string);
    return noContent();
  },
  usersCreateToken: ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    const base = created(resolveId('unique()'));
    const length = typeof params.length === 'number' ? params.length : 6;
    const expire = typeof params.expire === 'number' ? params.expire : 900;
    const token: Model = {
      $id: base.$id,
      $createdAt: base.$createdAt,
      userId: entry.model.$id,
      secret: secret(Math.ceil(length / 2)).slice(0, length),
      expire: isoDate(new Date(Date.now() + expire * 1000)),
      phrase: '',
    };
    return json(201, tx.create(entry.tokens, base.$id, token, tokenRef(String(entry.model.$id), base.$id), token));
  },
  usersListMemberships: ({ params, data }) => {
    const entry = user(data, params.userId);
    const memberships = [...entry.memberships].flatMap(([id, teamId]) => {
      const membership = data.teams.get(teamId)?.memberships.get(id);
      return membership ? [membership] : [];
    });
    return json(200, { total: memberships.length, memberships });
  },
  usersListTargets: ({ params, data }) => listReply('targets', user(data, params.userId).targets.values(), params, { noun: 'Target', route: 'targets' }),
  usersCreateTarget: ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    const id = resolveId(params.targetId);
    if (entry.targets.has(id)) fail('user_target_already_exists');
    const target: Model = Object.assign(created(id), {
      name: params.name ?? '',
      userId: entry.model.$id,
      providerId: params.providerId ?? null,
      providerType: params.providerType,
      identifier: params.identifier,
    });
    return json(201, tx.create(entry.targets, id, target, targetRef(String(entry.model.$id), id), target));
  },
  usersGetTarget: ({ params, data }) => json(200, extendableCopy(need(user(data, params.userId).targets, params.targetId, 'user_target_not_found') as Model)),
  usersUpdateTarget: ({ params, data, tx }) => {
    const target = need(user(data, params.userId).targets, params.targetId, 'user_target_not_found');
    tx.assign(target, { identifier: params.identifier, providerId: params.providerId, name: params.name });
    return json(200, tx.record('update', targetRef(String(params.userId), String(target.$id)), target));
  },
  usersDeleteTarget: ({ params, data, tx }) => {
    const entry = user(data, params.userId);
    const id = params.targetId as string;
    tx.delete(entry.targets, id, targetRef(String(entry.model.$id), id), need(entry.targets, id, 'user_target_not_found'));
    return noContent();
  },
  usersListIdentities: ({ params, data }) => listReply('identities', data.identities.values(), params, { noun: 'Identity', route: 'identities' }),
  usersDeleteIdentity: ({ params, data, tx }) => {
    const id = params.identityId as string;
    const identity = need(data.identities, id, 'user_identity_not_found');
    tx.delete(data.identities, id, identityRef(String(identity.userId), id), identity);
    return noContent();
  },
};
