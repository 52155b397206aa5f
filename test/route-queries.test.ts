import { Client, Databases, Messaging, Query, Storage, Teams, Users } from 'node-appwrite-13';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { refusal } from './support/sdks.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let client: Client;

beforeEach(async () => {
  server = await startTestServer();
  client = new Client().setEndpoint(server.endpoint).setProject('route-queries').setKey('standard_key');
});

afterEach(async () => {
  await server.stop();
});

/** The router's refusal of a `queries` parameter (utopia-php/database 0.48.4 Validator/Queries.php, through App::validate). */
const refused = (message: string) => ({ code: 400, type: 'general_argument_invalid', message: `Invalid \`queries\` param: ${message}` });

it('takes `$id`, `$createdAt` and `$updatedAt` on every list route beside the route’s own attributes (Queries/Base.php:43-57 at 1.5.0)', async () => {
  const databases = new Databases(client);
  await databases.create('alpha', 'Alpha');
  await databases.create('beta', 'Beta');
  expect((await databases.list([Query.equal('$id', ['beta'])])).databases.map((d) => d.$id)).toEqual(['beta']);
  expect((await databases.list([Query.lessThan('$createdAt', '2000-01-01T00:00:00.000+00:00')])).total).toBe(0);
  expect((await databases.list([Query.greaterThan('$updatedAt', '2000-01-01T00:00:00.000+00:00')])).total).toBe(2);
  const storage = new Storage(client);
  await storage.createBucket('pics', 'Pics');
  await storage.createBucket('docs', 'Docs');
  expect((await storage.listBuckets([Query.notEqual('$id', 'pics')])).buckets.map((b) => b.$id)).toEqual(['docs']);
  const teams = new Teams(client);
  await teams.create('red', 'Red');
  await teams.create('blue', 'Blue');
  expect((await teams.list([Query.equal('$id', ['red', 'blue']), Query.orderAsc('name')])).teams.map((t) => t.$id)).toEqual(['blue', 'red']);
});

it('refuses an attribute the route does not list as the router does: 400 general_argument_invalid naming the `queries` param', async () => {
  const users = new Users(client);
  await users.create('u1', 'u1@example.com', undefined, 'password-123456', 'One');
  expect(await refusal(users.list([Query.equal('password', 'x')]))).toEqual(refused('Invalid query: Attribute not found in schema: password'));
  // Memberships.php at 1.5.0 lists userId, teamId, invited, joined and confirm: not roles.
  await new Teams(client).create('crew', 'Crew');
  expect(await refusal(new Teams(client).listMemberships('crew', [Query.equal('roles', ['owner'])]))).toEqual(
    refused('Invalid query: Attribute not found in schema: roles'),
  );
  // Providers.php: name, provider, type, enabled.
  expect(await refusal(new Messaging(client).listProviders([Query.equal('credentials', 'x')]))).toEqual(
    refused('Invalid query: Attribute not found in schema: credentials'),
  );
  expect((await new Messaging(client).listProviders([Query.equal('type', 'email')])).total).toBe(0);
});

it('refuses `select` on a route validator, which has none for it (tests/e2e/Services/Databases/DatabasesBase.php:498-505 at 1.5.0)', async () => {
  const databases = new Databases(client);
  await databases.create('db', 'DB');
  await databases.createCollection('db', 'c', 'C');
  await databases.createStringAttribute('db', 'c', 'key', 16, false);
  expect(await refusal(databases.listAttributes('db', 'c', [Query.select(['key'])]))).toEqual(refused('Invalid query method: select'));
  expect(await refusal(databases.list([Query.select(['name'])]))).toEqual(refused('Invalid query method: select'));
  // The documents route runs its own validator in the action: `select` is its to take.
  await databases.createDocument('db', 'c', 'd1', { key: 'k' });
  expect((await databases.listDocuments('db', 'c', [Query.select(['key'])])).documents[0]).toMatchObject({ key: 'k' });
});

it('words a parse error of a route validator twice over, as Queries::isValid wraps what Query::parse threw', async () => {
  const res = await server.call('GET', `/databases?queries%5B%5D=${encodeURIComponent('{not json')}`);
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ ...refused('Invalid query: Invalid query: Syntax error'), version: '1.5.0' });
});
