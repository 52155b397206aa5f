import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Functions, Role } from 'node-appwrite-13';
import { startTestServer, type TestServer } from './support/server.js';
import { callers, failure } from './support/callers.js';

describe("function executions under the function's execute roles", () => {
  let server: TestServer;
  let key: Functions;
  let alice: Functions;
  let bob: Functions;
  let guest: Functions;
  beforeAll(async () => {
    server = await startTestServer();
    const who = await callers(server);
    [key, alice, bob, guest] = [who.key, who.alice, who.bob, who.guest].map((c) => new Functions(c)) as [Functions, Functions, Functions, Functions];
    await key.create('alices', 'For alice', 'node-18.0' as never, [Role.user('alice')]);
    await key.create('members', 'For users', 'node-18.0' as never, [Role.users()]);
    await key.create('nobody', 'For nobody', 'node-18.0' as never, []);
  });
  afterAll(() => server.stop());
  // No answer of any test breaks the contract.
  afterEach(() => {
    expect(server.summary().responseViolations).toBe(0);
  });

  it("refuses an execution without an execute role with the Authorization validator's message, and runs it for a role it names", async () => {
    // e2e FunctionsCustomClientTest:45-176 at 1.5.0: a guest on `execute: [user:ID]` → 401, that user → accepted.
    expect(await failure(guest.createExecution('alices'))).toMatchObject({
      code: 401,
      type: 'user_unauthorized',
      message: 'Missing "execute" permission for role "user:alice". Only "["any","guests"]" scopes are allowed and "["user:alice"]" was given.',
    });
    expect(await failure(bob.createExecution('alices'))).toMatchObject({
      code: 401,
      message:
        'Missing "execute" permission for role "user:alice". Only "["any","users","user:bob","user:bob\\/unverified","users\\/unverified"]" scopes are allowed and "["user:alice"]" was given.',
    });
    expect(await failure(alice.createExecution('nobody'))).toMatchObject({ code: 401, message: "No permissions provided for action 'execute'" });
    const run = await alice.createExecution('alices');
    expect(run.$permissions).toEqual(['read("user:alice")']);
    expect((await key.createExecution('nobody')).$permissions).toEqual([]);
  });

  it("lists to each user only the user's own executions, and every execution to a key", async () => {
    await alice.createExecution('members');
    await bob.createExecution('members');
    await bob.createExecution('members');
    expect((await alice.listExecutions('members')).total).toBe(1);
    const bobs = await bob.listExecutions('members');
    expect(bobs.total).toBe(2);
    expect(await failure(alice.getExecution('members', bobs.executions[0]!.$id))).toMatchObject({ code: 404, type: 'execution_not_found' });
    expect((await bob.getExecution('members', bobs.executions[0]!.$id)).$id).toBe(bobs.executions[0]!.$id);
    expect((await key.listExecutions('members')).total).toBe(3);
  });

  it("refuses execute roles Appwrite's Roles validator refuses, as 400 general_argument_invalid", async () => {
    const wildcard = await failure(key.create('wild', 'Wild', 'node-18.0' as never, ['*']));
    expect(wildcard).toMatchObject({
      code: 400,
      type: 'general_argument_invalid',
      message: 'Invalid `execute` param: Wildcard role "*" has been replaced. Use "any" instead.',
    });
    const unknown = await failure(key.update('members', 'For users', undefined, ['admins']));
    expect(unknown).toMatchObject({
      code: 400,
      message: 'Invalid `execute` param: Role "admins" is not allowed. Must be one of: any, guests, users, user, team, member, label.',
    });
  });
});
