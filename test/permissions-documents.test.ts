import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Databases, Permission, Role, Users } from 'node-appwrite-13';
import { startTestServer, type TestServer } from './support/server.js';
import { callers, failure, type Callers } from './support/callers.js';

const UNAUTHORIZED = { code: 401, type: 'user_unauthorized', message: 'The current user is not authorized to perform the requested action.' };
const NOT_FOUND = { code: 404, type: 'document_not_found', message: 'Document with the requested ID could not be found.' };

describe('documents under Appwrite 1.5 permissions, for two users, a guest and a key', () => {
  let server: TestServer;
  let who: Callers;
  let key: Databases;
  let alice: Databases;
  let bob: Databases;
  let guest: Databases;
  beforeAll(async () => {
    server = await startTestServer();
  });
  // Each test starts from the empty state with alice and bob signed in and the three collections.
  beforeEach(async () => {
    await server.reset();
    who = await callers(server);
    [key, alice, bob, guest] = [who.key, who.alice, who.bob, who.guest].map((c) => new Databases(c)) as [Databases, Databases, Databases, Databases];
    await key.create('db', 'DB');
    // notes: document security on, any user may create; nobody reads the collection as a whole.
    await key.createCollection('db', 'notes', 'Notes', [Permission.create(Role.users())], true);
    await key.createCollection('db', 'public', 'Public', [Permission.read(Role.any()), Permission.create(Role.any())], false);
    await key.createCollection('db', 'locked', 'Locked', [], false);
    for (const collection of ['notes', 'public', 'locked']) await key.createStringAttribute('db', collection, 'title', 64, false);
  });
  afterAll(() => server.stop());
  // No answer of any test breaks the contract.
  afterEach(() => {
    expect(server.summary().responseViolations).toBe(0);
  });

  /** Documents the tests read, each made as its test expects it: by alice, bob, a guest or the key. */
  const make = {
    a1: () => alice.createDocument('db', 'notes', 'a1', { title: 'mine' }),
    a2: () => alice.createDocument('db', 'notes', 'a2', { title: 'mine too' }),
    b1: () => bob.createDocument('db', 'notes', 'b1', { title: 'bob' }),
    w1: () => alice.createDocument('db', 'notes', 'w1', { title: 'w' }, [Permission.read(Role.user('alice')), Permission.write(Role.user('alice'))]),
    p1: () => key.createDocument('db', 'public', 'p1', { title: 'hello' }, []),
    p2: () => guest.createDocument('db', 'public', 'p2', { title: 'from a guest' }),
    l1: () => key.createDocument('db', 'locked', 'l1', { title: 'secret' }, [Permission.read(Role.user('alice'))]),
  };

  it("gives a document a user creates without permissions read, update and delete for that user, and another user's get is 404 document_not_found", async () => {
    const note = await make.a1();
    expect(note.$permissions).toEqual(['read("user:alice")', 'update("user:alice")', 'delete("user:alice")']);
    expect((await alice.getDocument('db', 'notes', 'a1')).title).toBe('mine');
    expect(await failure(bob.getDocument('db', 'notes', 'a1'))).toMatchObject(NOT_FOUND);
    expect(await failure(guest.getDocument('db', 'notes', 'a1'))).toMatchObject(NOT_FOUND);
    expect((await key.getDocument('db', 'notes', 'a1')).$id).toBe('a1');
  });

  it("leaves another user's private notes out of a list, its total counting only what the user may read", async () => {
    await make.a1();
    await make.a2();
    await make.b1();
    const bobs = await bob.listDocuments('db', 'notes');
    expect(bobs.total).toBe(1);
    expect(bobs.documents.map((d) => d.$id)).toEqual(['b1']);
    const alices = await alice.listDocuments('db', 'notes');
    expect(alices.total).toBe(2);
    expect(alices.documents.map((d) => d.$id)).toEqual(['a1', 'a2']);
    // e2e DatabasesPermissionsGuestTest:114-134 at 1.5.0: a guest lists a document-security collection and sees none of the users' documents.
    expect((await guest.listDocuments('db', 'notes')).total).toBe(0);
    expect((await key.listDocuments('db', 'notes')).total).toBe(3);
  });

  it("lets a guest read and list every document of a collection that grants read to any, and a guest's own document gets no permissions", async () => {
    await make.p1();
    const mine = await make.p2();
    // e2e DatabasesPermissionsGuestTest:141-184: a guest's document is created with `$permissions: []`.
    expect(mine.$permissions).toEqual([]);
    expect((await guest.getDocument('db', 'public', 'p1')).title).toBe('hello');
    const list = await guest.listDocuments('db', 'public');
    expect(list.total).toBe(2);
    expect((await bob.listDocuments('db', 'public')).total).toBe(2);
  });

  it('refuses a list of a collection without read and with document security off as 401 user_unauthorized, and a get of its document is 404', async () => {
    await make.l1();
    // e2e DatabasesPermissionsTeamTest:167-185: no collection read, no document security → 401.
    expect(await failure(alice.listDocuments('db', 'locked'))).toMatchObject(UNAUTHORIZED);
    expect(await failure(guest.listDocuments('db', 'locked'))).toMatchObject(UNAUTHORIZED);
    expect(await failure(alice.getDocument('db', 'locked', 'l1'))).toMatchObject(NOT_FOUND);
  });

  it("refuses creating in a collection that grants create to nobody, and a guest's create where only users may, as 401 user_unauthorized", async () => {
    await make.l1();
    expect(await failure(alice.createDocument('db', 'locked', 'x', { title: 'no' }))).toMatchObject(UNAUTHORIZED);
    expect(await failure(guest.createDocument('db', 'notes', 'x', { title: 'no' }))).toMatchObject(UNAUTHORIZED);
    expect((await key.listDocuments('db', 'locked')).total).toBe(1);
  });

  it('refuses updating or deleting without update or delete permission as 401, and answers an update that changes nothing with 200', async () => {
    await make.a1();
    await make.p1();
    expect(await failure(bob.updateDocument('db', 'notes', 'a1', { title: 'taken' }))).toMatchObject(UNAUTHORIZED);
    expect(await failure(bob.deleteDocument('db', 'notes', 'a1'))).toMatchObject(UNAUTHORIZED);
    expect(await failure(guest.deleteDocument('db', 'public', 'p1'))).toMatchObject(UNAUTHORIZED);
    // e2e DatabasesCustomClientTest:705-733: "We should not need any authorization permission to update the document with same data".
    const same = await bob.updateDocument('db', 'notes', 'a1', { title: 'mine' });
    expect(same.title).toBe('mine');
    expect(await failure(bob.updateDocument('db', 'notes', 'missing', { title: 'x' }))).toMatchObject(NOT_FOUND);
    expect((await alice.updateDocument('db', 'notes', 'a1', { title: 'edited' })).title).toBe('edited');
    expect((await key.getDocument('db', 'notes', 'a1')).title).toBe('edited');
  });

  it("refuses a user granting a role it does not hold with Appwrite's Permissions must be one of message, and a guest likewise", async () => {
    await make.a1();
    const refused = await failure(alice.createDocument('db', 'notes', 'x', { title: 'x' }, [Permission.read(Role.user('bob'))]));
    expect(refused).toMatchObject({
      code: 401,
      type: 'user_unauthorized',
      message: 'Permissions must be one of: (any, users, user:alice, user:alice/unverified, users/unverified)',
    });
    const verified = await failure(alice.createDocument('db', 'notes', 'x', { title: 'x' }, [Permission.read(Role.users('verified'))]));
    expect(verified).toMatchObject({ code: 401, type: 'user_unauthorized' });
    const byGuest = await failure(guest.createDocument('db', 'public', 'x', { title: 'x' }, [Permission.read(Role.users())]));
    expect(byGuest).toMatchObject({ code: 401, type: 'user_unauthorized', message: 'Permissions must be one of: (any, guests)' });
    const onUpdate = await failure(alice.updateDocument('db', 'notes', 'a1', undefined, [Permission.read(Role.user('bob'))]));
    expect(onUpdate).toMatchObject({ code: 401, message: 'Permissions must be one of: (any, users, user:alice, user:alice/unverified, users/unverified)' });
    // A key grants any role.
    expect((await key.createDocument('db', 'notes', 'k1', { title: 'k' }, [Permission.read(Role.user('bob'))])).$permissions).toEqual(['read("user:bob")']);
  });

  it('keeps the stored permissions, roles the user does not hold included, when an update sends none', async () => {
    await key.createDocument('db', 'notes', 'shared', { title: 'v1' }, [Permission.read(Role.user('bob')), Permission.update(Role.user('alice'))]);
    // e2e DatabasesCustomClientTest:110-203 at 1.5.0.
    const updated = await alice.updateDocument('db', 'notes', 'shared', { title: 'v2' });
    expect(updated.$permissions).toEqual(['read("user:bob")', 'update("user:alice")']);
    expect((await bob.getDocument('db', 'notes', 'shared')).title).toBe('v2');
    expect(await failure(alice.getDocument('db', 'notes', 'shared'))).toMatchObject(NOT_FOUND);
  });

  it('expands write to update and delete on a document and to create, update and delete on a collection, and refuses create on a document as 400', async () => {
    const doc = await make.w1();
    expect(doc.$permissions).toEqual(['read("user:alice")', 'update("user:alice")', 'delete("user:alice")']);
    const collection = await key.createCollection('db', 'agg', 'Agg', [
      Permission.read(Role.any()),
      Permission.write(Role.users()),
      Permission.read(Role.any()),
    ]);
    expect(collection.$permissions).toEqual(['read("any")', 'create("users")', 'update("users")', 'delete("users")']);
    // e2e DatabasesCustomClientTest:92-107: create on a document is not allowed by the permissions validator.
    const invalid = await failure(alice.createDocument('db', 'notes', 'x', { title: 'x' }, [Permission.create(Role.any())]));
    expect(invalid).toMatchObject({
      code: 400,
      type: 'general_argument_invalid',
      message: 'Invalid `permissions` param: Permission "create("any")" is not allowed. Must be one of: read, update, delete, write.',
    });
    const noId = await failure(key.createDocument('db', 'notes', 'x', { title: 'x' }, ['read("user")']));
    expect(noId).toMatchObject({ code: 400, type: 'general_argument_invalid', message: 'Invalid `permissions` param: Role "user" must have an ID value.' });
  });

  it("ignores document permissions while document security is off, and adds them to the collection's once it is on", async () => {
    await key.createCollection('db', 'toggle', 'Toggle', [Permission.create(Role.users())], false);
    await key.createStringAttribute('db', 'toggle', 'title', 64, false);
    await alice.createDocument('db', 'toggle', 't1', { title: 'mine' });
    expect(await failure(alice.getDocument('db', 'toggle', 't1'))).toMatchObject(NOT_FOUND);
    expect(await failure(alice.listDocuments('db', 'toggle'))).toMatchObject(UNAUTHORIZED);
    expect(await failure(alice.deleteDocument('db', 'toggle', 't1'))).toMatchObject(UNAUTHORIZED);
    await key.updateCollection('db', 'toggle', 'Toggle', [Permission.create(Role.users())], true);
    expect((await alice.getDocument('db', 'toggle', 't1')).$id).toBe('t1');
    expect((await alice.listDocuments('db', 'toggle')).total).toBe(1);
    expect(await failure(bob.getDocument('db', 'toggle', 't1'))).toMatchObject(NOT_FOUND);
    expect((await bob.listDocuments('db', 'toggle')).total).toBe(0);
  });

  it('lets label: and users/verified roles read once the key gives the label or verifies the email, on the next request', async () => {
    await key.createDocument('db', 'notes', 'vip', { title: 'vip' }, [Permission.read(Role.label('vip'))]);
    await key.createDocument('db', 'notes', 'verified', { title: 'verified' }, [Permission.read(Role.users('verified'))]);
    expect(await failure(bob.getDocument('db', 'notes', 'vip'))).toMatchObject(NOT_FOUND);
    expect(await failure(bob.getDocument('db', 'notes', 'verified'))).toMatchObject(NOT_FOUND);
    const users = new Users(who.key);
    await users.updateLabels('bob', ['vip']);
    expect((await bob.getDocument('db', 'notes', 'vip')).title).toBe('vip');
    expect(await failure(bob.getDocument('db', 'notes', 'verified'))).toMatchObject(NOT_FOUND);
    await users.updateEmailVerification('bob', true);
    expect((await bob.getDocument('db', 'notes', 'verified')).title).toBe('verified');
    expect(await failure(alice.getDocument('db', 'notes', 'vip'))).toMatchObject(NOT_FOUND);
  });

  it('answers every user as not found in a disabled collection, while a key still reads it', async () => {
    await make.p1();
    await make.p2();
    await key.updateCollection('db', 'public', 'Public', [Permission.read(Role.any()), Permission.create(Role.any())], false, false);
    expect(await failure(guest.listDocuments('db', 'public'))).toMatchObject({ code: 404, type: 'collection_not_found' });
    expect((await key.listDocuments('db', 'public')).total).toBe(2);
  });

  it('lets a key read, list, update and delete every document whatever its permissions', async () => {
    for (const id of ['a1', 'a2', 'b1', 'w1', 'l1'] as const) await make[id]();
    expect((await key.listDocuments('db', 'locked')).total).toBe(1);
    expect((await key.updateDocument('db', 'notes', 'b1', { title: 'by key' })).title).toBe('by key');
    await key.deleteDocument('db', 'notes', 'a2');
    await key.deleteDocument('db', 'locked', 'l1');
    expect((await alice.listDocuments('db', 'notes')).documents.map((d) => d.$id)).toEqual(['a1', 'w1']);
  });
});
