import { isoDate, resolveId, secret } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model, ReadonlyDeep, StateView, TeamEntry, UserEntry } from './state-data.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { created, listReply, need } from './table.js';
import type { Tx } from './tx.js';
import { userBy } from './user-index.js';
import { createSession, createUser, updatedUser, user } from './users.js';
import { extendableCopy } from '../model/extendable-copy.js';
import { accessOf, authorize, type Access } from './access.js';
import { secretDigest } from './state-codec.js';
import { sessionCookieName, encodeSession } from '../auth/credentials.js';
import type { VcrResponse } from '../model/exchange.js';

const teamRef = (teamId: string) => ({ resource: 'team', ids: { teamId } }) as const;
export const membershipRef = (teamId: string, membershipId: string) => ({ resource: 'membership', ids: { teamId, membershipId } }) as const;

function team(data: StateView, id: unknown): ReadonlyDeep<TeamEntry> {
  return need(data.teams, id, 'team_not_found');
}

/**
 * A team the caller may see: a key any, a user one it is a confirmed member of (the team reads
 * `read("team:T")`); anyone else, an invitee who has not accepted included, is told it is not found.
 */
function visibleTeam(ctx: Pick<StateContext, 'data'>, access: Access, id: unknown): ReadonlyDeep<TeamEntry> {
  const entry = team(ctx.data, id);
  if (!access.key && !access.roles.has(`team:${String(entry.model.$id)}`)) fail('team_not_found');
  return entry;
}

/**
 * Only a key or an owner changes a team (its permissions are `update/delete("team:T/owner")`).
 * @note Appwrite 1.5.0 lets the database's refusal through as a 500; later 1.5 releases answer 401 user_unauthorized, as here.
 */
function ownerOnly(access: Access, teamId: string, message?: string): void {
  if (!access.key && !access.roles.has(`team:${teamId}/owner`)) fail('user_unauthorized', message);
}

/** The team model with `total`, the number of confirmed members. */
function teamView(entry: ReadonlyDeep<TeamEntry>): Model {
  let total = 0;
  for (const membership of entry.memberships.values()) if (membership.confirm === true) total++;
  const { $id, $createdAt, $updatedAt, name } = entry.model;
  return { $id, $createdAt, $updatedAt, name, total, prefs: entry.prefs };
}

function membership(entry: ReadonlyDeep<TeamEntry>, id: unknown): Readonly<Model> {
  return need(entry.memberships, id, 'membership_not_found');
}

/** A membership looked up in every team, as Appwrite looks it up by its ID alone; `missing` when there is none. */
function anyMembership(data: StateView, id: unknown, missing: 'membership_not_found' | 'team_invite_not_found', teamId: unknown): Readonly<Model> {
  for (const entry of data.teams.values()) {
    const found = entry.memberships.get(String(id));
    if (found) {
      if (found.teamId !== teamId) fail('team_membership_mismatch');
      return found;
    }
  }
  return fail(missing);
}

/** The invited user: by ID, else by email (made when no user has it), else by phone. */
function invitee(ctx: StateContext): ReadonlyDeep<UserEntry> {
  const { params, data } = ctx;
  if (typeof params.userId === 'string' && params.userId !== '') return user(data, params.userId);
  const email = typeof params.email === 'string' ? params.email.toLowerCase() : '';
  const phone = typeof params.phone === 'string' ? params.phone : '';
  const known = userBy(data.users, 'email', email) ?? userBy(data.users, 'phone', phone);
  if (known) return known;
  return ctx.tx.cascade(
    () => createUser(ctx, { userId: 'unique()', email: email || undefined, phone: phone || undefined, name: params.name ?? '' }, null).entry,
  );
}

/** Removes a membership from its team and from its user. */
export function deleteMembership(tx: Tx, data: StateView, teamId: string, model: Readonly<Model>): void {
  const id = String(model.$id);
  const entry = team(data, teamId);
  tx.delete(entry.memberships, id, membershipRef(teamId, id), model);
  if (entry.invitations?.has(id)) tx.unlink(entry.invitations, id);
  const member = data.users.get(String(model.userId));
  if (member) tx.unlink(member.memberships, id);
}

function updatedMembership(tx: Tx, model: Readonly<Model>): Model {
  return tx.record('update', membershipRef(String(model.teamId), String(model.$id)), model);
}

/** `url` with the invitation's fields merged into its query, as the link of Appwrite's invitation email. */
function invitationUrl(url: string, fields: Record<string, string>): string {
  try {
    const link = new URL(url);
    for (const [name, value] of Object.entries(fields)) link.searchParams.set(name, value);
    return link.toString();
  } catch {
    return `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(fields).toString()}`;
  }
}

/**
 * A user's invitation: its secret is kept as a digest and the message that carries it handed to the
 * request's listeners (see `OutgoingMessage`), where Appwrite would send an email or an SMS.
 */
function invite(ctx: StateContext, entry: ReadonlyDeep<TeamEntry>, member: ReadonlyDeep<UserEntry>, membershipId: string): void {
  const { tx, params } = ctx;
  const teamId = String(entry.model.$id);
  const token = secret();
  if (!entry.invitations) tx.assign(entry, { invitations: new Map() }, false);
  tx.link(entry.invitations as ReadonlyMap<string, string>, membershipId, secretDigest(token));
  const userId = String(member.model.$id);
  tx.send({
    kind: 'team-invitation',
    email: String(member.model.email ?? ''),
    phone: String(member.model.phone ?? ''),
    subject: `Invitation to ${String(entry.model.name)} Team at ${ctx.caller.credentials.project}`,
    url: invitationUrl(String(params.url), { membershipId, userId, secret: token, teamId }),
    teamId,
    membershipId,
    userId,
    secret: token,
  });
}

/** The answer that signs the invitee in: the new session's cookies, as the session routes set them (teams.php at 1.5.0). */
function signedIn(project: string, userId: string, sessionSecret: string, expire: string, body: Model): VcrResponse {
  const value = encodeSession(userId, sessionSecret);
  const name = sessionCookieName(project);
  const expires = new Date(expire).toUTCString();
  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'set-cookie': [`${name}_legacy=${value}; expires=${expires}; path=/; httponly`, `${name}=${value}; expires=${expires}; path=/; httponly; samesite=none`],
      'x-fallback-cookies': JSON.stringify({ [name]: value }),
    },
    body: { kind: 'json', value: body },
  };
}

export const teamRoutes: StateRoutes = {
  teamsList: (ctx) => {
    const access = accessOf(ctx);
    const teams = [...ctx.data.teams.values()].filter((entry) => access.key || access.roles.has(`team:${String(entry.model.$id)}`));
    return listReply('teams', teams, ctx.params, { noun: 'Team', route: 'teams', searchIn: (m) => [String(m.$id), String(m.name)], view: teamView });
  },
  teamsCreate: (ctx) => {
    const { params, data, tx } = ctx;
    const access = accessOf(ctx);
    const id = resolveId(params.teamId);
    if (data.teams.has(id)) fail('team_already_exists');
    const entry: TeamEntry = { model: Object.assign(created(id), { name: params.name }), prefs: {}, memberships: new Map() };
    const creator = access.key || access.userId === null ? undefined : data.users.get(access.userId);
    tx.create(data.teams, id, entry, teamRef(id), Object.assign(teamView(entry), { total: creator ? 1 : 0 }));
    if (creator) {
      // @note A user's new team has the user as a confirmed owner at once (`owner` added to the roles asked for); a key's has no members.
      const roles = Array.isArray(params.roles) ? params.roles.map(String) : ['owner'];
      if (!roles.includes('owner')) roles.push('owner');
      const base = created(resolveId('unique()'));
      const model: Model = Object.assign(base, {
        userId: creator.model.$id,
        userName: creator.model.name,
        userEmail: creator.model.email,
        teamId: id,
        teamName: entry.model.name,
        invited: base.$createdAt,
        joined: base.$createdAt,
        confirm: true,
        mfa: creator.model.mfa,
        roles,
      });
      tx.cascade(() => tx.create(entry.memberships, base.$id, model, membershipRef(id, base.$id), model));
      tx.link(creator.memberships, base.$id, id);
    }
    return json(201, teamView(entry));
  },
  teamsGet: (ctx) => json(200, teamView(visibleTeam(ctx, accessOf(ctx), ctx.params.teamId))),
  teamsUpdateName: (ctx) => {
    const { params, tx } = ctx;
    const access = accessOf(ctx);
    const entry = visibleTeam(ctx, access, params.teamId);
    ownerOnly(access, String(entry.model.$id));
    tx.assign(entry.model, { name: params.name });
    for (const m of entry.memberships.values()) tx.assign(m, { teamName: params.name }, false);
    return json(200, tx.record('update', teamRef(String(entry.model.$id)), teamView(entry)));
  },
  teamsDelete: (ctx) => {
    const { params, data, tx } = ctx;
    const access = accessOf(ctx);
    const entry = visibleTeam(ctx, access, params.teamId);
    const teamId = String(entry.model.$id);
    ownerOnly(access, teamId);
    tx.delete(data.teams, teamId, teamRef(teamId), teamView(entry));
    tx.cascade(() => {
      for (const m of entry.memberships.values()) {
        const member = data.users.get(String(m.userId));
        if (member) tx.unlink(member.memberships, String(m.$id));
        tx.record('delete', membershipRef(teamId, String(m.$id)), m);
      }
    });
    return noContent();
  },
  teamsGetPrefs: (ctx) => json(200, extendableCopy(visibleTeam(ctx, accessOf(ctx), ctx.params.teamId).prefs as Model)),
  teamsUpdatePrefs: (ctx) => {
    const { params, tx } = ctx;
    const access = accessOf(ctx);
    const entry = visibleTeam(ctx, access, params.teamId);
    ownerOnly(access, String(entry.model.$id));
    tx.assign(entry, { prefs: (params.prefs as Model | undefined) ?? {} }, false);
    tx.assign(entry.model, {});
    tx.record('update', teamRef(String(entry.model.$id)), teamView(entry));
    return json(200, extendableCopy(entry.prefs as Model));
  },
  teamsListMemberships: (ctx) =>
    listReply('memberships', visibleTeam(ctx, accessOf(ctx), ctx.params.teamId).memberships.values(), ctx.params, {
      noun: 'Membership',
      route: 'memberships',
      searchIn: (m) => [String(m.userName), String(m.userEmail)],
    }),
  teamsCreateMembership: (ctx) => {
    const { params, tx } = ctx;
    const access = accessOf(ctx);
    if (!access.key && (typeof params.url !== 'string' || params.url === '')) fail('general_argument_invalid', 'URL is required');
    const named = [params.userId, params.email, params.phone].some((value) => typeof value === 'string' && value !== '');
    if (!named) fail('general_argument_invalid', 'At least one of userId, email, or phone is required');
    const entry = visibleTeam(ctx, access, params.teamId);
    const teamId = String(entry.model.$id);
    // @note As in Appwrite, an unknown email makes its user before the caller is found not to be an owner.
    const member = invitee(ctx);
    ownerOnly(access, teamId, 'User is not allowed to send invitations for this team');
    for (const m of entry.memberships.values()) if (m.userId === member.model.$id) fail('team_invite_already_exists');
    const base = created(resolveId('unique()'));
    // @note With an API key Appwrite adds the member at once (confirmed, joined now); a user's invitation waits for the invitee's secret.
    const model: Model = Object.assign(base, {
      userId: member.model.$id,
      userName: member.model.name,
      userEmail: member.model.email,
      teamId,
      teamName: entry.model.name,
      invited: base.$createdAt,
      joined: access.key ? base.$createdAt : '',
      confirm: access.key,
      mfa: member.model.mfa,
      roles: params.roles ?? [],
    });
    tx.link(member.memberships, base.$id, teamId);
    const answer = tx.create(entry.memberships, base.$id, model, membershipRef(teamId, base.$id), model);
    if (!access.key) invite(ctx, entry, member, base.$id);
    return json(201, answer);
  },
  teamsGetMembership: (ctx) => json(200, extendableCopy(membership(visibleTeam(ctx, accessOf(ctx), ctx.params.teamId), ctx.params.membershipId) as Model)),
  teamsUpdateMembership: (ctx) => {
    const { params, data, tx } = ctx;
    const access = accessOf(ctx);
    const entry = visibleTeam(ctx, access, params.teamId);
    const model = membership(entry, params.membershipId);
    user(data, model.userId);
    ownerOnly(access, String(entry.model.$id), 'User is not allowed to modify roles');
    tx.assign(model, { roles: params.roles });
    return json(200, updatedMembership(tx, model));
  },
  teamsUpdateMembershipStatus: (ctx) => {
    const { params, data, tx, caller } = ctx;
    const model = anyMembership(data, params.membershipId, 'membership_not_found', params.teamId);
    const entry = team(data, params.teamId);
    const stored = entry.invitations?.get(String(model.$id));
    if (stored === undefined || stored !== secretDigest(String(params.secret))) fail('team_invalid_secret');
    const current = caller.userId === null ? undefined : data.users.get(caller.userId);
    const mismatch = `Invite does not belong to current user (${String(current?.model.email ?? '')})`;
    if (params.userId !== model.userId) fail('team_invite_mismatch', mismatch);
    if (current && current.model.$id !== model.userId) fail('team_invite_mismatch', mismatch);
    if (model.confirm === true) fail('membership_already_confirmed');
    const member = user(data, model.userId);
    tx.assign(model, { confirm: true, joined: isoDate() });
    // @note Accepting verifies the invitee's email and signs the invitee in with a new session (teams.php at 1.5.0).
    tx.assign(member.model, { emailVerification: true });
    updatedUser(tx, member);
    const session = createSession(ctx, member, 'email');
    return signedIn(caller.credentials.project, String(member.model.$id), String(session.secret), String(session.expire), updatedMembership(tx, model));
  },
  teamsDeleteMembership: (ctx) => {
    const { params, data, tx } = ctx;
    const access = accessOf(ctx);
    const model = anyMembership(data, params.membershipId, 'team_invite_not_found', params.teamId);
    user(data, model.userId);
    visibleTeam(ctx, access, params.teamId);
    // @note A member may leave (the membership grants delete to its user), an owner may remove anyone.
    authorize(access.key || access.userId === model.userId || access.roles.has(`team:${String(params.teamId)}/owner`));
    deleteMembership(tx, data, String(params.teamId), model);
    return noContent();
  },
};
