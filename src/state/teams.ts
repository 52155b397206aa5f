import { isoDate, resolveId } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model, ReadonlyDeep, StateView, TeamEntry, UserEntry } from './state-data.js';
import type { StateContext, StateRoutes } from './state-request.js';
import { created, listReply, need } from './table.js';
import type { Tx } from './tx.js';
import { userBy } from './user-index.js';
import { createUser, user } from './users.js';
import { extendableCopy } from '../model/extendable-copy.js';

const TEAM_QUERY = new Set(['name', 'total']);
const MEMBERSHIP_QUERY = new Set(['userId', 'teamId', 'invited', 'joined', 'confirm', 'roles']);

const teamRef = (teamId: string) => ({ resource: 'team', ids: { teamId } }) as const;
export const membershipRef = (teamId: string, membershipId: string) => ({ resource: 'membership', ids: { teamId, membershipId } }) as const;

function team(data: StateView, id: unknown): ReadonlyDeep<TeamEntry> {
  return need(data.teams, id, 'team_not_found');
}

/** The team model with `total`, the number of confirmed members. */
function teamView(entry: ReadonlyDeep<TeamEntry>): Model {
  let total = 0;
  for (const membership of entry.memberships.values()) if (membership.confirm === true) total++;
  const { $id, $createdAt, $updatedAt, name } = entry.model;
  return { $id, $createdAt, $updatedAt, name, total, prefs: entry.prefs };
}

function membership(data: StateView, params: Record<string, unknown>): Readonly<Model> {
  return need(team(data, params.teamId).memberships, params.membershipId, 'membership_not_found');
}

/** The invited user: by ID, else by email (made when no user has it), else by phone. */
function invitee(ctx: StateContext): ReadonlyDeep<UserEntry> {
  const { params, data } = ctx;
  if (typeof params.userId === 'string' && params.userId !== '') return user(data, params.userId);
  const email = typeof params.email === 'string' ? params.email.toLowerCase() : '';
  const phone = typeof params.phone === 'string' ? params.phone : '';
  const known = userBy(data.users, 'email', email) ?? userBy(data.users, 'phone', phone);
  if (known) return known;
  if (email === '' && phone === '') fail('general_argument_invalid', 'At least one of userId, email, or phone is required');
  return ctx.tx.cascade(() => createUser(ctx, { userId: 'unique()', email: email || undefined, phone: phone || undefined, name: params.name ?? '' }, null).entry);
}

/** Removes a membership from its team and from its user. */
export function deleteMembership(tx: Tx, data: StateView, teamId: string, model: Readonly<Model>): void {
  const id = String(model.$id);
  tx.delete(team(data, teamId).memberships, id, membershipRef(teamId, id), model);
  const member = data.users.get(String(model.userId));
  if (member) tx.unlink(member.memberships, id);
}

function updatedMembership(tx: Tx, model: Readonly<Model>): Model {
  return tx.record('update', membershipRef(String(model.teamId), String(model.$id)), model);
}

export const teamRoutes: StateRoutes = {
  teamsList: ({ params, data }) => listReply('teams', data.teams.values(), params, { noun: 'Team', attributes: TEAM_QUERY, searchIn: (m) => [String(m.$id), String(m.name)], view: teamView }),
  teamsCreate: ({ params, data, tx, caller }) => {
    const id = resolveId(params.teamId);
    if (data.teams.has(id)) fail('team_already_exists');
    const entry: TeamEntry = { model: Object.assign(created(id), { name: params.name }), prefs: {}, memberships: new Map() };
    const answer = tx.create(data.teams, id, entry, teamRef(id), teamView(entry));
    const creator = caller.userId === null ? undefined : data.users.get(caller.userId);
    if (!creator) return json(201, answer);
    // @note As teams.php: a signed-in user who creates a team is its first member, confirmed, with the roles asked for and `owner`.
    const roles = Array.isArray(params.roles) ? [...(params.roles as string[])] : [];
    if (!roles.includes('owner')) roles.push('owner');
    const base = created(resolveId('unique()'));
    const membership: Model = Object.assign(base, { userId: creator.model.$id, userName: creator.model.name, userEmail: creator.model.email, teamId: id, teamName: params.name, invited: base.$createdAt, joined: base.$createdAt, confirm: true, mfa: creator.model.mfa, roles });
    tx.cascade(() => {
      tx.link(creator.memberships, base.$id, id);
      tx.create(entry.memberships, base.$id, membership, membershipRef(id, base.$id), membership);
    });
    return json(201, teamView(entry));
  },
  teamsGet: ({ params, data }) => json(200, teamView(team(data, params.teamId))),
  teamsUpdateName: ({ params, data, tx }) => {
    const entry = team(data, params.teamId);
    tx.assign(entry.model, { name: params.name });
    for (const m of entry.memberships.values()) tx.assign(m, { teamName: params.name }, false);
    return json(200, tx.record('update', teamRef(String(entry.model.$id)), teamView(entry)));
  },
  teamsDelete: ({ params, data, tx }) => {
    const entry = team(data, params.teamId);
    const teamId = String(entry.model.$id);
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
  teamsGetPrefs: ({ params, data }) => json(200, extendableCopy(team(data, params.teamId).prefs as Model)),
  teamsUpdatePrefs: ({ params, data, tx }) => {
    const entry = team(data, params.teamId);
    tx.assign(entry, { prefs: (params.prefs as Model | undefined) ?? {} }, false);
    tx.assign(entry.model, {});
    tx.record('update', teamRef(String(entry.model.$id)), teamView(entry));
    return json(200, extendableCopy(entry.prefs as Model));
  },
  teamsListMemberships: ({ params, data }) =>
    listReply('memberships', team(data, params.teamId).memberships.values(), params, { noun: 'Membership', attributes: MEMBERSHIP_QUERY, searchIn: (m) => [String(m.userName), String(m.userEmail)] }),
  teamsCreateMembership: (ctx) => {
    const { params, data, tx } = ctx;
    const entry = team(data, params.teamId);
    const member = invitee(ctx);
    for (const m of entry.memberships.values()) if (m.userId === member.model.$id) fail('team_invite_already_exists');
    const base = created(resolveId('unique()'));
    const teamId = String(entry.model.$id);
    // @note With an API key Appwrite adds the member at once (confirmed, joined now); a user's invitation waits for the invitee.
    const model: Model = Object.assign(base, {
      userId: member.model.$id,
      userName: member.model.name,
      userEmail: member.model.email,
      teamId,
      teamName: entry.model.name,
      invited: base.$createdAt,
      joined: base.$createdAt,
      confirm: true,
      mfa: member.model.mfa,
      roles: params.roles ?? [],
    });
    tx.link(member.memberships, base.$id, teamId);
    return json(201, tx.create(entry.memberships, base.$id, model, membershipRef(teamId, base.$id), model));
  },
  teamsGetMembership: ({ params, data }) => json(200, extendableCopy(membership(data, params) as Model)),
  teamsUpdateMembership: ({ params, data, tx }) => {
    const model = membership(data, params);
    tx.assign(model, { roles: params.roles });
    return json(200, updatedMembership(tx, model));
  },
  teamsUpdateMembershipStatus: ({ params, data, tx }) => {
    const model = membership(data, params);
    if (model.userId !== params.userId) fail('team_invite_mismatch');
    if (model.confirm === true) fail('membership_already_confirmed');
    tx.assign(model, { confirm: true, joined: isoDate() });
    return json(200, updatedMembership(tx, model));
  },
  teamsDeleteMembership: ({ params, data, tx }) => {
    deleteMembership(tx, data, String(params.teamId), membership(data, params));
    return noContent();
  },
};
