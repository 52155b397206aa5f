import { Client, Users } from 'node-appwrite-13';
import type { TestServer } from './server.js';

/** The clients of a permissions test: a key, two signed-in users, and a guest (no credentials at all). */
export interface Callers {
  key: Client;
  alice: Client;
  bob: Client;
  guest: Client;
  /** A client for another user made through the key, signed in with a session of its own. */
  signIn(userId: string): Promise<Client>;
}

const client = (server: TestServer): Client => new Client().setEndpoint(server.endpoint).setProject('test-project');

/** Makes users `alice` and `bob` through the key and signs each in with a session the Users service issues. */
export async function callers(server: TestServer): Promise<Callers> {
  const key = client(server).setKey('test-key');
  const users = new Users(key);
  const signIn = async (userId: string): Promise<Client> => client(server).setSession((await users.createSession(userId)).secret);
  for (const id of ['alice', 'bob']) await users.create(id, `${id}@example.com`, undefined, 'correct-horse', id);
  return { key, alice: await signIn('alice'), bob: await signIn('bob'), guest: client(server), signIn };
}

/** The error an SDK call failed with, or the value when it did not fail. */
export function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => value,
    (err: unknown) => err,
  );
}
