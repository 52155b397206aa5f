import { scryptSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { isoDate, resolveId, secret } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model, StateData, UserEntry } from './state-data.js';
import type { StateHandler, StateRoutes } from './state-request.js';
import { created, listReply, need, update } from './table.js';
import { indexUser, unindexUser, userBy } from './user-index.js';
import { extendableCopy } from '../model/extendable-copy.js';

/** Appwrite's argon2 defaults, reported for users whose password it hashed itself. */
const ARGON2_DEFAULTS = { type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 };
/** A session lasts a year by default (Appwrite's auth duration). */
const SESSION_SECONDS = 365 * 24 * 3600;

export function user(data: StateData, id: unknown): UserEntry {
  return need(data.users, id, 'user_not_found');
}

/** The user model with its targets, as Appwrite answers it. */
export function userView(entry: UserEntry): Model {
  return Object.assign(extendableCopy(entry.model), { targets: [...entry.targets.values()] });
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

function ensureUnique(data: StateData, id: string | null, email: unknown, phone: unknown, type: 'user_already_exists' | 'user_email_already_exists' | 'user_phone_already_exists' = 'user_already_exists'): void {
  const sameEmail = typeof email === 'string' ? userBy(data.users, 'email', email) : undefined;
  if (sameEmail && sameEmail.model.$id !== id) fail(type === 'user_already_exists' ? type : 'user_email_already_exists');
  const samePhone = typeof phone === 'string' ? userBy(data.users, 'phone', phone) : undefined;
  if (samePhone && samePhone.model.$id !== id) fail(type === 'user_already_exists' ? type : 'user_phone_already_exists');
}

/** Creates a user; `hash` names the algorithm of an imported password hash, null for a plain one. */
export function createUser(data: StateData, params: Record<string, unknown>, hash: string | null, hashOptions: Model = { type: hash }): UserEntry {
  const id = resolveId(params.userId);
  if (data.users.has(id)) fail('user_already_exists');
  const email = typeof params.email === 'string' ? params.email.toLowerCase() : '';
  ensureUnique(data, null, email, params.phone);
  const base = created(id);
  const password = params.password as string | undefined;
  const model: Model = Object.assign(base, { name: params.name ?? '' });
  if (hash !== null && password !== undefined) Object.assign(model, { password, hash, hashOptions });
  else if (password) Object.assign(model, { hash: 'argon2', hashOptions: ARGON2_DEFAULTS });
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
    accessedAt: '',
  });
  const entry: UserEntry = { model, passwordCheck: hash === null && password ? passwordCheck(password) : null, sessions: new Map(), tokens: new Map(), targets: new Map(), memberships: new Map() };
  data.users.set(id, entry);
  indexUser(data.users, entry);
  return entry;
}

function hashed(algorithm: string, options: (params: Record<string, unknown>) => Model = () => ({})): StateHandler {
  return ({ params }, data) => json(201, userView(createUser(data, params, algorithm, { type: algorithm, ...options(params) })));
}

function change(fields: (params: Record<string, unknown>, entry: UserEntry, data: StateData) => Record<string, unknown>): StateHandler {
  return ({ params }, data) => {
    const entry = user(data, params.userId);
    const previous = { email: entry.model.email, phone: entry.model.phone };
    update(entry.model, fields(params, entry, data));
    indexUser(data.users, entry, previous);
    return json(200, userView(entry));
  };
}

/** A new session of a user, as the Users service and the account sign-ins make them. */
export function createSession(entry: UserEntry, provider: string): Model {
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
    osCode: '',
    osName: '',
    osVersion: '',
    clientType: '',
    clientCode: '',
    clientName: '',
    clientVersion: '',
    clientEngine: '',
    clientEngineVersion: '',
    deviceName: '',
    deviceBrand: '',
    deviceModel: '',
    countryCode: '--',
    countryName: 'Unknown',
    current: false,
    factors: [provider === 'email' ? 'password' : provider],
    secret: secret(),
    mfaUpdatedAt: '',
  };
  entry.sessions.set(base.$id, session);
  entry.model.accessedAt = base.$createdAt;
  return session;
}

/** Deletes a user with its sessions, tokens, targets and memberships. */
function deleteUser(data: StateData, entry: UserEntry): void {
  for (const [membershipId, teamId] of entry.memberships) data.teams.get(teamId)?.memberships.delete(membershipId);
  for (const [id, identity] of data.identities) if (identity.userId === entry.model.$id) data.identities.delete(id);
  unindexUser(data.users, entry);
  data.users.delete(entry.model.$id as string);
}

export const userRoutes: StateRoutes = {
  usersList: ({ params }, data) =>
    listReply('users', data.users.values(), params, {
      noun: 'User',
      attributes: null,
      searchIn: (m) => [String(m.$id), String(m.name), String(m.email), String(m.phone)],
      view: userView,
    }),
  usersCreate: ({ params }, data) => json(201, userView(createUser(data, params, null))),
  usersCreateArgon2User: hashed('argon2', () => ({ memoryCost: 2048, timeCost: 4, threads: 3 })),
  usersCreateBcryptUser: hashed('bcrypt'),
  usersCreateMD5User: hashed('md5'),
  usersCreatePHPassUser: hashed('phpass'),
  usersCreateSHAUser: hashed('sha'),
  usersCreateScryptUser: hashed('scrypt', (p) => ({ costCpu: p.passwordCpu, costMemory: p.passwordMemory, costParallel: p.passwordParallel, length: p.passwordLength })),
  usersCreateScryptModifiedUser: hashed('scryptMod', (p) => ({ salt: p.passwordSalt, saltSeparator: p.passwordSaltSeparator, signerKey: p.passwordSignerKey })),
  usersGet: ({ params }, data) => json(200, userView(user(data, params.userId))),
  usersDelete: ({ params }, data) => {
    deleteUser(data, user(data, params.userId));
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
  usersUpdatePassword: ({ params }, data) => {
    const entry = user(data, params.userId);
    const password = String(params.password);
    entry.passwordCheck = password === '' ? null : passwordCheck(password);
    delete entry.model.password;
    update(entry.model, { hash: 'argon2', hashOptions: ARGON2_DEFAULTS, passwordUpdate: isoDate() });
    return json(200, userView(entry));
  },
  usersGetPrefs: ({ params }, data) => json(200, user(data, params.userId).model.prefs),
  usersUpdatePrefs: ({ params }, data) => {
    const entry = user(data, params.userId);
    update(entry.model, { prefs: params.prefs ?? {} });
    return json(200, entry.model.prefs);
  },
  usersListSessions: ({ params }, data) => {
    const sessions = [...user(data, params.userId).sessions.values()].map((s) => ({ ...s, secret: '' }));
    return json(200, { total: sessions.length, sessions });
  },
  usersCreateSession: ({ params }, data) => json(201, createSession(user(data, params.userId), 'server')),
  usersDeleteSessions: ({ params }, data) => {
    user(data, params.userId).sessions.clear();
    return noContent();
  },
  usersDeleteSession: ({ params }, data) => {
    const entry = user(data, params.userId);
    need(entry.sessions, params.sessionId, 'user_session_not_found');
    entry.sessions.delete(params.sessionId as string);
    return noContent();
  },
  usersCreateToken: ({ params }, data) => {
    const entry = user(data, params.userId);
    const base = created(resolveId('unique()'));
    const length = typeof params.length === 'number' ? params.length : 6;
    const expire = typeof params.expire === 'number' ? params.expire : 900;
    const token: Model = { $id: base.$id, $createdAt: base.$createdAt, userId: entry.model.$id, secret: secret(Math.ceil(length / 2)).slice(0, length), expire: isoDate(new Date(Date.now() + expire * 1000)), phrase: '' };
    entry.tokens.set(base.$id, token);
    return json(201, token);
  },
  usersListMemberships: ({ params }, data) => {
    const entry = user(data, params.userId);
    const memberships = [...entry.memberships].flatMap(([id, teamId]) => {
      const membership = data.teams.get(teamId)?.memberships.get(id);
      return membership ? [membership] : [];
    });
    return json(200, { total: memberships.length, memberships });
  },
  usersListTargets: ({ params }, data) => listReply('targets', user(data, params.userId).targets.values(), params, { noun: 'Target' }),
  usersCreateTarget: ({ params }, data) => {
    const entry = user(data, params.userId);
    const id = resolveId(params.targetId);
    if (entry.targets.has(id)) fail('user_target_already_exists');
    const target: Model = Object.assign(created(id), { name: params.name ?? '', userId: entry.model.$id, providerId: params.providerId ?? '', providerType: params.providerType, identifier: params.identifier });
    entry.targets.set(id, target);
    return json(201, target);
  },
  usersGetTarget: ({ params }, data) => json(200, need(user(data, params.userId).targets, params.targetId, 'user_target_not_found')),
  usersUpdateTarget: ({ params }, data) => {
    const target = need(user(data, params.userId).targets, params.targetId, 'user_target_not_found');
    return json(200, update(target, { identifier: params.identifier, providerId: params.providerId, name: params.name }));
  },
  usersDeleteTarget: ({ params }, data) => {
    const entry = user(data, params.userId);
    need(entry.targets, params.targetId, 'user_target_not_found');
    entry.targets.delete(params.targetId as string);
    return noContent();
  },
  usersListIdentities: ({ params }, data) => listReply('identities', data.identities.values(), params, { noun: 'Identity' }),
  usersDeleteIdentity: ({ params }, data) => {
    need(data.identities, params.identityId, 'user_identity_not_found');
    data.identities.delete(params.identityId as string);
    return noContent();
  },
};
