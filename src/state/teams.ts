import { isoDate, resolveId } from './ids.js';
import { json, noContent } from './reply.js';
import { fail } from './state-failure.js';
import type { Model, StateData, TeamEntry, UserEntry } from './state-data.js';
import type { StateRoutes } from './state-request.js';
import { created, listReply, need, update } from './table.js';
import { createUser, user } from './users.js';

const TEAM_QUERY = new Set(['name', 'total']);
const MEMBERSHIP_QUERY = new Set(['userId', 'teamId', 'invited', 'joined', 'confirm', 'roles']);

function team(data: StateData, id: unknown): TeamEntry {
  return need(data.teams, id, 'team_not_found');
}

/** The team model with `total`, the number of confirmed members. */
function teamView(entry: TeamEntry): Model {
  let total = 0;
  for (const membership of entry.memberships.values()) if (membership.confirm === true) total++;
  const { $id, $createdAt, $updatedAt, name } = entry.model;
  return { $id, $createdAt, $updatedAt, name, total, prefs: entry.prefs };
}

function membership(data: StateData, params: Record<string, unknown>): Model {
  return need(team(data, params.teamId).memberships, params.membershipId, 'membership_not_found');
}

/** The invited user: by ID, else by email (made when no user has it), else by phone. */
function invitee(data: StateData, params: Record<string, unknown>): UserEntry {
  if (typeof params.userId === 'string' && params.userId !== '') return user(data, params.userId);
  const email = typeof params.email === 'string' ? params.email.toLowerCase() : '';
  const phone = typeof params.phone === 'string' ? params.phone : '';
  for (const entry of data.users.values()) {
    if ((email !== '' && entry.model.email === email) || (phone !== '' && entry.model.phone === phone)) return entry;
  }
  if (email === '' && phone === '') fail('general_argument_invalid', 'At least one of userId, email, or phone is required');
  return createUser(data, { userId: 'unique()', email: email || undefined, phone: phone || undefined, name: params.name ?? '' }, null);
}

export const teamRoutes: StateRoutes = {
  teamsList: ({ params }, data) => listReply('teams', data.teams.values(), params, { noun: 'Team', attributes: TEAM_QUERY, searchIn: (m) => [String(m.$id), String(m.name)], view: teamView }),
  teamsCreate: ({ params }, data) => {
    const id = resolveId(params.teamId);
    if (data.teams.has(id)) fail('team_already_exists');
    const entry: TeamEntry = { model: Object.assign(created(id), { name: params.name }), prefs: {}, memberships: new Map() };
    data.teams.set(id, entry);
    return json(201, teamView(entry));
  },
  teamsGet: ({ params }, data) => json(200, teamView(team(data, params.teamId))),
  teamsUpdateName: ({ params }, data) => {
    const entry = team(data, params.teamId);
    update(entry.model, { name: params.name });
    for (const m of entry.memberships.values()) m.teamName = params.name;
    return json(200, teamView(entry));
  },
  teamsDelete: ({ params }, data) => {
    const entry = team(data, params.teamId);
    for (const m of entry.memberships.values()) data.users.get(m.userId as string)?.memberships.delete(m.$id as string);
    data.teams.delete(params.teamId as string);
    return noContent();
  },
  teamsGetPrefs: ({ params }, data) => json(200, team(data, params.teamId).prefs),
  teamsUpdatePrefs: ({ params }, data) => {
    const entry = team(data, params.teamId);
    entry.prefs = (params.prefs as Model | undefined) ?? {};
    update(entry.model, {});
    return json(200, entry.prefs);
  },
  teamsListMemberships: ({ params }, data) =>
    listReply('memberships', team(data, params.teamId).memberships.values(), params, { noun: 'Membership', attributes: MEMBERSHIP_QUERY, searchIn: (m) => [String(m.userName), String(m.userEmail)] }),
  teamsCreateMembership: ({ params }, data) => {
    const entry = team(data, params.teamId);
    const member = invitee(data, params);
    for (const m of entry.memberships.values()) if (m.userId === member.model.$id) fail('team_invite_already_exists');
    const base = created(resolveId('unique()'));
    // @note With an API key Appwrite adds the member at once (confirmed, joined now); a user's invitation waits for the invitee.
    const model: Model = {
      ...base,
      userId: member.model.$id,
      userName: member.model.name,
      userEmail: member.model.email,
      teamId: entry.model.$id,
      teamName: entry.model.name,
      invited: base.$createdAt,
      joined: base.$createdAt,
      confirm: true,
      mfa: member.model.mfa,
      roles: params.roles ?? [],
    };
    entry.memberships.set(base.$id, model);
    member.memberships.set(base.$id, entry.model.$id as string);
    return json(201, model);
  },
  teamsGetMembership: ({ params }, data) => json(200, membership(data, params)),
  teamsUpdateMembership: ({ params }, data) => json(200, update(membership(data, params), { roles: params.roles })),
  teamsUpdateMembershipStatus: ({ params }, data) => {
    const model = membership(data, params);
    if (model.userId !== params.userId) fail('team_invite_mismatch');
    if (model.confirm === true) fail('membership_already_confirmed');
    return json(200, update(model, { confirm: true, joined: isoDate() }));
  },
  teamsDeleteMembership: ({ params }, data) => {
    const model = membership(data, params);
    team(data, params.teamId).memberships.delete(model.$id as string);
    data.users.get(model.userId as string)?.memberships.delete(model.$id as string);
    return noContent();
  },
};
