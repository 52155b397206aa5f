import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Account, Client, Databases, Permission, Role, Teams, Users } from 'node-appwrite-13';
import type { OutgoingMessage } from '../src/index.js';
import { startTestServer, type TestServer } from './support/server.js';
import { callers, failure, type Callers } from './support/callers.js';

const TEAM_NOT_FOUND = { code: 404, type: 'team_not_found' };

describe("teams as Appwrite 1.5 runs them for users: owners, invitations, members' roles", () => {
  let server: TestServer;
  let who: Callers;
  let alice: Teams;
  let bob: Teams;
  let carol: Teams;
  let key: Teams;
  const sent: OutgoingMessage[] = [];
  beforeAll(async () => {
    server = await startTestServer({ onStateChange: (change) => sent.push(...change.messages) });
  });
  afterAll(() => server.stop());
  // Each test starts from the empty state with alice, bob and carol signed in and a collection to share documents in.
  beforeEach(async () => {
    await server.reset();
    sent.length = 0;
    who = await callers(server);
    await new Users(who.key).create('carol', 'carol@example.com', undefined, 'correct-horse', 'carol');
    [alice, bob, carol, key] = [who.alice, who.bob, await who.signIn('carol'), who.key].map((c) => new Teams(c)) as [Teams, Teams, Teams, Teams];
    const databases = new Databases(who.key);
    await databases.create('db', 'DB');
    await databases.createCollection('db', 'shared', 'Shared', [], true);
    await databases.createStringAttribute('db', 'shared', 'title', 64, false);
  });
  afterEach(() => {
    expect(server.summary().responseViolations).toBe(0);
  });

  /** A team alice owns, by its ID. */
  const crew = async (): Promise<string> => (await alice.create('unique()', 'Crew')).$id;
  /** alice's invitation of bob (email) as an editor, and the message that carries its secret. */
  const inviteBob = async (teamId: string) => {
    const invited = await alice.createMembership(teamId, ['editor'], 'bob@example.com', undefined, undefined, 'http://127.0.0.1/join?app=1');
    return { invited, message: sent.find((m) => m.membershipId === invited.$id)! };
  };
  /** bob accepts alice's invitation with its secret (as the link of the message would): a confirmed editor. */
  const bobJoins = async (teamId: string): Promise<void> => {
    const { invited, message } = await inviteBob(teamId);
    const answer = await server.call('PATCH', `/teams/${teamId}/memberships/${invited.$id}/status`, {
      headers: { 'x-appwrite-key': '' },
      body: { userId: 'bob', secret: message.secret },
    });
    expect(answer.status).toBe(200);
  };
  /** A document of the shared collection that only the given role may read. */
  const sharedWith = (documentId: string, role: string) =>
    new Databases(who.key).createDocument('db', 'shared', documentId, { title: documentId }, [Permission.read(role)]);

  it('makes the user who creates a team its confirmed owner, and nobody else sees the team', async () => {
    const team = await alice.create('unique()', 'Crew');
    const teamId = team.$id;
    expect(team.total).toBe(1);
    const members = await alice.listMemberships(teamId);
    expect(members.total).toBe(1);
    expect(members.memberships[0]).toMatchObject({ userId: 'alice', confirm: true, roles: ['owner'] });
    expect((await alice.list()).teams.map((t) => t.$id)).toEqual([teamId]);
    expect((await bob.list()).total).toBe(0);
    expect(await failure(bob.get(teamId))).toMatchObject(TEAM_NOT_FOUND);
    // A key's team has no members (teams.php:82 at 1.5.0).
    expect((await key.create('keyed', 'Keyed')).total).toBe(0);
  });

  it("keeps a user's invitation unconfirmed, hands its secret to the outgoing message, and hides the team from the invitee until accepted", async () => {
    const teamId = await crew();
    const { invited, message } = await inviteBob(teamId);
    expect(invited).toMatchObject({ userId: 'bob', confirm: false, joined: '', roles: ['editor'], teamName: 'Crew', userEmail: 'bob@example.com' });
    expect((await alice.get(teamId)).total).toBe(1);
    expect(message).toMatchObject({
      kind: 'team-invitation',
      email: 'bob@example.com',
      teamId,
      userId: 'bob',
      subject: 'Invitation to Crew Team at test-project',
    });
    const link = new URL(message.url);
    expect(Object.fromEntries(link.searchParams)).toEqual({ app: '1', membershipId: invited.$id, userId: 'bob', secret: message.secret, teamId });
    expect(await failure(bob.get(teamId))).toMatchObject(TEAM_NOT_FOUND);
    expect(await failure(bob.getPrefs(teamId))).toMatchObject(TEAM_NOT_FOUND);
    await sharedWith('plan', Role.team(teamId));
    expect(await failure(new Databases(who.bob).getDocument('db', 'shared', 'plan'))).toMatchObject({ code: 404, type: 'document_not_found' });
    expect((await new Databases(who.alice).getDocument('db', 'shared', 'plan')).title).toBe('plan');
  });

  it("refuses an invitation without the app URL, and one by a user who is not the team's owner", async () => {
    const teamId = await crew();
    expect(await failure(alice.createMembership(teamId, [], 'dave@example.com'))).toMatchObject({
      code: 400,
      type: 'general_argument_invalid',
      message: 'URL is required',
    });
    // carol is no member at all: the team is not found for her.
    expect(await failure(carol.createMembership(teamId, [], 'dave@example.com', undefined, undefined, 'http://127.0.0.1/join'))).toMatchObject(TEAM_NOT_FOUND);
  });

  it('accepts an invitation only with its secret, signs the invitee in with a verified email, and then counts the member', async () => {
    const teamId = await crew();
    await sharedWith('plan', Role.team(teamId));
    const { message: invitation } = await inviteBob(teamId);
    const guest = new Teams(who.guest);
    const wrong = await failure(guest.updateMembershipStatus(teamId, invitation.membershipId, 'bob', 'not-the-secret'));
    expect(wrong).toMatchObject({
      code: 401,
      type: 'team_invalid_secret',
      message: 'The team invitation secret is invalid. Please request  a new invitation and try again.',
    });
    const other = await failure(guest.updateMembershipStatus(teamId, invitation.membershipId, 'carol', invitation.secret));
    expect(other).toMatchObject({ code: 401, type: 'team_invite_mismatch', message: 'Invite does not belong to current user ()' });
    const answer = await server.call('PATCH', `/teams/${teamId}/memberships/${invitation.membershipId}/status`, {
      headers: { 'x-appwrite-key': '' },
      body: { userId: 'bob', secret: invitation.secret },
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { confirm: boolean }).confirm).toBe(true);
    // e2e TeamsBaseClient:391-560 at 1.5.0: the answer's session cookie signs the invitee in, email verified.
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('a_session_test-project='))!;
    const session = decodeURIComponent(cookie.split(';')[0]!.slice('a_session_test-project='.length));
    const account = await new Account(new Client().setEndpoint(server.endpoint).setProject('test-project').setSession(session)).get();
    expect(account).toMatchObject({ $id: 'bob', emailVerification: true });
    expect((await bob.get(teamId)).total).toBe(2);
    expect((await new Databases(who.bob).getDocument('db', 'shared', 'plan')).title).toBe('plan');
    const again = await failure(guest.updateMembershipStatus(teamId, invitation.membershipId, 'bob', invitation.secret));
    expect(again).toMatchObject({ code: 409, type: 'membership_already_confirmed' });
  });

  it("lets every member read the team's prefs and only the owner write them, rename the team, invite or change roles", async () => {
    const teamId = await crew();
    await bobJoins(teamId);
    expect(await alice.updatePrefs(teamId, { theme: 'dark' })).toEqual({ theme: 'dark' });
    expect(await bob.getPrefs(teamId)).toEqual({ theme: 'dark' });
    expect(await failure(carol.getPrefs(teamId))).toMatchObject(TEAM_NOT_FOUND);
    expect(await failure(bob.updatePrefs(teamId, { theme: 'light' }))).toMatchObject({ code: 401, type: 'user_unauthorized' });
    expect(await failure(bob.updateName(teamId, 'Mine'))).toMatchObject({ code: 401, type: 'user_unauthorized' });
    const invite = await failure(bob.createMembership(teamId, [], 'carol@example.com', undefined, undefined, 'http://127.0.0.1/join'));
    expect(invite).toMatchObject({ code: 401, type: 'user_unauthorized', message: 'User is not allowed to send invitations for this team' });
    const bobs = (await bob.listMemberships(teamId)).memberships.find((m) => m.userId === 'bob')!;
    // e2e TeamsBaseClient:619-632 at 1.5.0.
    expect(await failure(bob.updateMembership(teamId, bobs.$id, ['owner']))).toMatchObject({
      code: 401,
      type: 'user_unauthorized',
      message: 'User is not allowed to modify roles',
    });
    expect((await alice.updateMembership(teamId, bobs.$id, ['editor', 'reviewer'])).roles).toEqual(['editor', 'reviewer']);
    expect(await failure(bob.delete(teamId))).toMatchObject({ code: 401, type: 'user_unauthorized' });
  });

  it("lets a member's team role read a document shared with team:ID/ROLE, and a deleted membership drops the roles on the next request", async () => {
    const teamId = await crew();
    await bobJoins(teamId);
    const joined = (await alice.listMemberships(teamId)).memberships.find((m) => m.userId === 'bob')!;
    await alice.updateMembership(teamId, joined.$id, ['editor', 'reviewer']);
    await sharedWith('plan', Role.team(teamId));
    await sharedWith('review', Role.team(teamId, 'reviewer'));
    expect((await new Databases(who.bob).getDocument('db', 'shared', 'review')).title).toBe('review');
    expect(await failure(new Databases(who.alice).getDocument('db', 'shared', 'review'))).toMatchObject({ code: 404 });
    const bobs = (await alice.listMemberships(teamId)).memberships.find((m) => m.userId === 'bob')!;
    // e2e TeamsBaseClient:640-730: a member may not delete the owner's membership, but may leave.
    const alices = (await alice.listMemberships(teamId)).memberships.find((m) => m.userId === 'alice')!;
    expect(await failure(bob.deleteMembership(teamId, alices.$id))).toMatchObject({ code: 401, type: 'user_unauthorized' });
    await alice.deleteMembership(teamId, bobs.$id);
    expect(await failure(new Databases(who.bob).getDocument('db', 'shared', 'review'))).toMatchObject({ code: 404, type: 'document_not_found' });
    expect(await failure(new Databases(who.bob).getDocument('db', 'shared', 'plan'))).toMatchObject({ code: 404 });
    expect(await failure(bob.get(teamId))).toMatchObject(TEAM_NOT_FOUND);
    expect((await alice.get(teamId)).total).toBe(1);
  });

  it('adds a member at once when a key invites, and refuses guests the team routes by scope', async () => {
    const teamId = await crew();
    const added = await key.createMembership(teamId, ['viewer'], undefined, 'carol');
    expect(added).toMatchObject({ confirm: true, userId: 'carol' });
    expect((await carol.get(teamId)).total).toBe(2);
    expect(await failure(new Teams(who.guest).list())).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    await alice.delete(teamId);
    expect((await carol.list()).total).toBe(0);
  });
});

describe('an invitation across a restart with --state', () => {
  it("keeps only the digest of an invitation's secret in the state file, and the secret still accepts after a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vcr-invite-'));
    try {
      const stateFile = join(dir, 'state.json');
      const sent: OutgoingMessage[] = [];
      const first = await startTestServer({ state: stateFile, onStateChange: (change) => sent.push(...change.messages) });
      const who = await callers(first);
      const teamId = (await new Teams(who.alice).create('unique()', 'Crew')).$id;
      const invited = await new Teams(who.alice).createMembership(teamId, [], undefined, 'bob', undefined, 'http://127.0.0.1/join');
      await first.stop();
      const secret = sent[0]!.secret;
      expect(secret.length).toBeGreaterThan(16);
      expect((await readFile(stateFile, 'utf8')).includes(secret)).toBe(false);

      const second = await startTestServer({ state: stateFile });
      try {
        const answer = await second.call('PATCH', `/teams/${teamId}/memberships/${invited.$id}/status`, {
          headers: { 'x-appwrite-key': '' },
          body: { userId: 'bob', secret },
        });
        expect(answer.status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
