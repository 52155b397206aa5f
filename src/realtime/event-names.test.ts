import { describe, expect, it } from 'vitest';
import { eventNames } from './event-names.js';

// Appwrite 1.5.0 src/Appwrite/Event/Event.php (parseEventPattern, generateEvents): the shapes its templates take.
describe('eventNames', () => {
  it('gives a resource event its action, the resource and their starred forms', () => {
    expect(eventNames('teams.[teamId].create', [['teamId', 'T']])).toEqual(['teams.T.create', 'teams.*.create', 'teams.T', 'teams.*']);
  });

  it('puts the plain action before the action with its attribute (RealtimeCustomClientTest.php:283-288)', () => {
    expect(eventNames('users.[userId].update.name', [['userId', 'U']])).toEqual([
      'users.U.update',
      'users.*.update',
      'users.U.update.name',
      'users.*.update.name',
      'users.U',
      'users.*',
    ]);
  });

  it('reads a five-part template with no placeholder after the user as an action and an attribute', () => {
    expect(eventNames('users.[userId].sessions.delete', [['userId', 'U']])).toEqual([
      'users.U.sessions',
      'users.*.sessions',
      'users.U.sessions.delete',
      'users.*.sessions.delete',
      'users.U',
      'users.*',
    ]);
    expect(eventNames('users.[userId].create.mfa.recovery-codes', [['userId', 'U']])).toEqual(['users.U.create', 'users.*.create', 'users.U', 'users.*']);
  });

  it('gives a membership status update its 16 names, with the team-level pair the attribute rule adds', () => {
    expect(
      eventNames('teams.[teamId].memberships.[membershipId].update.status', [
        ['teamId', 'T'],
        ['membershipId', 'M'],
      ]),
    ).toEqual([
      'teams.T.memberships.M.update.status',
      'teams.*.memberships.*.update.status',
      'teams.T.memberships.*.update.status',
      'teams.*.memberships.M.update.status',
      'teams.T.memberships.M.update',
      'teams.*.memberships.*.update',
      'teams.T.memberships.*.update',
      'teams.*.memberships.M.update',
      'teams.T.memberships.M',
      'teams.*.memberships.*',
      'teams.T.memberships.*',
      'teams.*.memberships.M',
      'teams.T.update.status',
      'teams.*.update.status',
      'teams.T',
      'teams.*',
    ]);
  });

  it('gives a document event 22 names, each once', () => {
    const names = eventNames('databases.[databaseId].collections.[collectionId].documents.[documentId].delete', [
      ['databaseId', 'D'],
      ['collectionId', 'C'],
      ['documentId', 'X'],
    ]);
    expect(names).toHaveLength(22);
    expect(new Set(names).size).toBe(22);
    expect(names.slice(0, 2)).toEqual(['databases.D.collections.C.documents.X.delete', 'databases.*.collections.*.documents.*.delete']);
    expect(names.slice(-2)).toEqual(['databases.D', 'databases.*']);
  });
});
