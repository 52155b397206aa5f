import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Permission, Role, Storage } from 'node-appwrite-13';
import { InputFile } from 'node-appwrite-13/file';
import { startTestServer, type TestServer } from './support/server.js';
import { callers, failure } from './support/callers.js';

const UNAUTHORIZED = { code: 401, type: 'user_unauthorized', message: 'The current user is not authorized to perform the requested action.' };
const NOT_FOUND = { code: 404, type: 'storage_file_not_found', message: 'The requested file could not be found.' };
const bytes = (text: string) => InputFile.fromBuffer(Buffer.from(text), `${text}.txt`);

describe('files under Appwrite 1.5 permissions, bucket and file security', () => {
  let server: TestServer;
  let key: Storage;
  let alice: Storage;
  let bob: Storage;
  let guest: Storage;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());
  // Each test starts from the empty state with alice and bob signed in and the three buckets.
  beforeEach(async () => {
    await server.reset();
    const who = await callers(server);
    [key, alice, bob, guest] = [who.key, who.alice, who.bob, who.guest].map((c) => new Storage(c)) as [Storage, Storage, Storage, Storage];
    await key.createBucket('private', 'Private', [Permission.create(Role.users())], true);
    await key.createBucket('members', 'Members', [Permission.read(Role.users()), Permission.create(Role.users())], false);
    await key.createBucket('closed', 'Closed', [Permission.read(Role.any())], false);
  });
  afterEach(() => {
    expect(server.summary().responseViolations).toBe(0);
  });

  it("gives a user's file read, update and delete for that user, and in a file-security bucket another user gets 404 storage_file_not_found", async () => {
    const file = await alice.createFile('private', 'a1', bytes('alice'));
    // e2e StorageCustomClientTest:1223-1258 at 1.5.0: the creator's default permissions.
    expect(file.$permissions).toEqual(['read("user:alice")', 'update("user:alice")', 'delete("user:alice")']);
    expect((await alice.getFile('private', 'a1')).$id).toBe('a1');
    expect(Buffer.from(await alice.getFileView('private', 'a1')).toString()).toBe('alice');
    expect(await failure(bob.getFile('private', 'a1'))).toMatchObject(NOT_FOUND);
    expect(await failure(bob.getFileView('private', 'a1'))).toMatchObject({ code: 404 });
    const list = await bob.listFiles('private');
    expect(list.total).toBe(0);
    expect((await alice.listFiles('private')).total).toBe(1);
    expect((await key.getFile('private', 'a1')).$id).toBe('a1');
  });

  it('refuses a guest reading a bucket that grants read to users only, without file security, as 401', async () => {
    await alice.createFile('members', 'm1', bytes('members'));
    // e2e StorageCustomClientTest:286-292: a guest on a `read("users")` bucket → 401.
    expect(await failure(guest.getFile('members', 'm1'))).toMatchObject(UNAUTHORIZED);
    expect(await failure(guest.listFiles('members'))).toMatchObject(UNAUTHORIZED);
    expect(await failure(guest.getFileDownload('members', 'm1'))).toMatchObject({ code: 401 });
    // Without file security the bucket alone decides: bob reads alice's file.
    expect((await bob.getFile('members', 'm1')).$id).toBe('m1');
  });

  it('refuses an upload to a bucket that does not grant create, and a grant of a role the user does not hold', async () => {
    expect(await failure(alice.createFile('closed', 'x', bytes('x')))).toMatchObject(UNAUTHORIZED);
    const refused = await failure(alice.createFile('private', 'x', bytes('x'), [Permission.read(Role.user('bob'))]));
    expect(refused).toMatchObject({
      code: 401,
      type: 'user_unauthorized',
      message: 'Permissions must be one of: (any, users, user:alice, user:alice/unverified, users/unverified)',
    });
  });

  it("refuses another user's update and delete of a file as 401, and lets the owner and a key do both", async () => {
    await alice.createFile('private', 'a1', bytes('alice'));
    await alice.createFile('members', 'm1', bytes('members'));
    // e2e StorageCustomClientTest:959-967: another user's update under file security → 401.
    expect(await failure(bob.updateFile('private', 'a1', 'taken'))).toMatchObject(UNAUTHORIZED);
    expect(await failure(bob.deleteFile('private', 'a1'))).toMatchObject(UNAUTHORIZED);
    expect(await failure(guest.deleteFile('members', 'm1'))).toMatchObject(UNAUTHORIZED);
    expect((await alice.updateFile('private', 'a1', 'renamed')).name).toBe('renamed');
    const shared = await alice.updateFile('private', 'a1', undefined, [Permission.read(Role.users()), Permission.write(Role.user('alice'))]);
    expect(shared.$permissions).toEqual(['read("users")', 'update("user:alice")', 'delete("user:alice")']);
    expect((await bob.getFile('private', 'a1')).name).toBe('renamed');
    await key.deleteFile('members', 'm1');
    await alice.deleteFile('private', 'a1');
    expect(await failure(key.getFile('private', 'a1'))).toMatchObject(NOT_FOUND);
  });

  it('expands write on a bucket to create, update and delete', async () => {
    const bucket = await key.createBucket('agg', 'Agg', [Permission.write(Role.users())]);
    expect(bucket.$permissions).toEqual(['create("users")', 'update("users")', 'delete("users")']);
  });
});
