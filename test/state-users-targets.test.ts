import { Account, Client, Users } from 'node-appwrite-13';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

/** Users as app/controllers/api/users.php at 1.5.0 makes them: targets, hash options, the password hash. */
describe('stateful fallback: users with their targets and hashes', () => {
  let server: TestServer;
  let users: Users;
  beforeAll(async () => {
    server = await startTestServer();
    users = new Users(new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key'));
  });
  afterAll(() => server.stop());

  it('gives a new user an email target and an sms target at once, with no provider (users.php:122-157)', async () => {
    const user = await users.create('targets-1', 'Grace@Example.com', '+14155550111', 'password-123456', 'Grace');
    expect(user.targets.map((t) => [t.providerType, t.identifier, t.providerId, t.name, t.userId])).toEqual([
      ['email', 'grace@example.com', null, '', 'targets-1'],
      ['sms', '+14155550111', null, '', 'targets-1'],
    ]);
    const listed = await users.listTargets('targets-1');
    expect(listed.total).toBe(2);
    expect(listed.targets.map((t) => t.$id)).toEqual(user.targets.map((t) => t.$id));
  });

  it('moves the email target to a new email, and deletes it when the email is emptied (users.php:1234-1258)', async () => {
    const user = await users.create('targets-2', 'old@example.com', undefined, 'password-123456');
    const [target] = user.targets;
    const moved = await users.updateEmail('targets-2', 'new@example.com');
    expect(moved.targets).toEqual([expect.objectContaining({ $id: target?.$id, identifier: 'new@example.com', providerType: 'email' })]);
    const emptied = await users.updateEmail('targets-2', '');
    expect(emptied.targets).toEqual([]);
    const again = await users.updateEmail('targets-2', 'back@example.com');
    expect(again.targets.map((t) => t.identifier)).toEqual(['back@example.com']);
    expect(again.targets[0]?.$id).not.toBe(target?.$id);
    // users.php:1077 `Text(128, 0)`: the Users service takes an empty name too.
    expect((await users.updateName('targets-2', '')).name).toBe('');
  });

  it('moves the sms target with the phone number', async () => {
    const user = await users.create('targets-3', undefined, '+14155550112', 'password-123456');
    const moved = await users.updatePhone('targets-3', '+14155550113');
    expect(moved.targets).toEqual([expect.objectContaining({ $id: user.targets[0]?.$id, identifier: '+14155550113', providerType: 'sms' })]);
  });

  it('answers a target made without a provider with providerId null', async () => {
    await users.create('targets-4', undefined, undefined, undefined, 'No contact');
    const target = await users.createTarget('targets-4', 'work', 'email' as never, 'work@example.com');
    expect(target).toMatchObject({ $id: 'work', providerId: null, providerType: 'email', identifier: 'work@example.com' });
    expect(await users.getTarget('targets-4', 'work')).toMatchObject({ providerId: null });
  });

  it('keeps hashOptions as Appwrite does for each import: none for argon2 and bcrypt, the version for sha, salt and costs for scrypt (users.php:232-441)', async () => {
    const argon = await users.createArgon2User('hash-argon', 'argon@example.com', '$argon2id$v=19$m=2048,t=4,p=3$c2FsdHNhbHQ$aGFzaGhhc2g', 'Argon');
    expect(argon).toMatchObject({ hash: 'argon2', hashOptions: { type: 'argon2' }, password: '$argon2id$v=19$m=2048,t=4,p=3$c2FsdHNhbHQ$aGFzaGhhc2g' });
    expect((await users.createBcryptUser('hash-bcrypt', 'bcrypt@example.com', '$2a$10$abcdefghijklmnopqrstuv')).hashOptions).toEqual({ type: 'bcrypt' });
    expect((await users.createSHAUser('hash-sha', 'sha@example.com', 'ab'.repeat(32), 'sha256' as never)).hashOptions).toEqual({
      type: 'sha',
      version: 'sha256',
    });
    expect((await users.createSHAUser('hash-sha-plain', 'sha2@example.com', 'ab'.repeat(32))).hashOptions).toEqual({ type: 'sha' });
    const scrypt = await users.createScryptUser('hash-scrypt', 'scrypt@example.com', 'aGFzaA==', 'c2FsdA==', 16384, 8, 1, 64);
    expect(scrypt.hashOptions).toEqual({ type: 'scrypt', salt: 'c2FsdA==', costCpu: 16384, costMemory: 8, costParallel: 1, length: 64 });
  });

  it('answers a user with a plain password with a password hash, never the password, and argon2 as its algorithm', async () => {
    const user = await users.create('hash-plain', 'plain@example.com', undefined, 'password-123456');
    expect(user.hash).toBe('argon2');
    expect(user.hashOptions).toEqual({ type: 'argon2', memoryCost: 2048, timeCost: 4, threads: 3 });
    expect(user.password).toEqual(expect.any(String));
    expect(user.password).not.toContain('password-123456');
    expect(user.password?.length).toBeGreaterThan(40);
    const changed = await users.updatePassword('hash-plain', 'another-password-1');
    expect(changed.password).not.toBe(user.password);
  });

  it('moves the email target when the account changes its email, and answers the account without its password hash', async () => {
    await users.create('targets-5', 'me@example.com', undefined, 'password-123456');
    const session = await users.createSession('targets-5');
    const account = new Account(new Client().setEndpoint(server.endpoint).setProject('test-project').setSession(session.secret));
    const changed = await account.updateEmail('me.too@example.com', 'password-123456');
    expect(changed).not.toHaveProperty('password');
    expect(changed).not.toHaveProperty('hash');
    expect((await users.get('targets-5')).targets.map((t) => t.identifier)).toEqual(['me.too@example.com']);
    const before = (await users.get('targets-5')).password;
    await account.updatePassword('another-password-2', 'password-123456');
    expect((await users.get('targets-5')).password).not.toBe(before);
  });
});
