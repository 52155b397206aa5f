import { Client, Messaging, Users } from 'node-appwrite-13';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { refusal } from './support/sdks.js';
import { startTestServer, type TestServer } from './support/server.js';

let server: TestServer;
let client: Client;

beforeEach(async () => {
  server = await startTestServer();
  client = new Client().setEndpoint(server.endpoint).setProject('logs-and-targets').setKey('standard_key');
});

afterEach(async () => {
  await server.stop();
});

/**
 * The model keeps no audit log: each logs list answers empty once its resource is found, as the real 1.5.0 answered for
 * resources a key made (../shared/appwrite/recordings/node-appwrite-13-all-methods.json: usersListLogs,
 * messagingListProviderLogs, ListTopicLogs, ListSubscriberLogs, all `{"logs":[],"total":0}`), and the resource's 404 otherwise.
 */
it('answers the logs of a user, provider, topic and subscriber empty, and 404 with the resource’s own type for a missing one', async () => {
  const users = new Users(client);
  const messaging = new Messaging(client);
  await users.create('lou', 'lou@example.com', undefined, 'password-123456', 'Lou');
  await messaging.createSendgridProvider('grid', 'Grid', 'api-key', 'Lou', 'lou@example.com');
  await messaging.createTopic('news', 'News');
  const [target] = (await users.listTargets('lou')).targets;
  if (!target) throw new Error('a new user has an email target');
  await messaging.createSubscriber('news', 'sub', target.$id);
  const empty = { total: 0, logs: [] };
  expect(await users.listLogs('lou')).toEqual(empty);
  expect(await messaging.listProviderLogs('grid')).toEqual(empty);
  expect(await messaging.listTopicLogs('news')).toEqual(empty);
  expect(await messaging.listSubscriberLogs('sub')).toEqual(empty);
  expect(await refusal(users.listLogs('nobody'))).toMatchObject({ code: 404, type: 'user_not_found' });
  expect(await refusal(messaging.listProviderLogs('nobody'))).toMatchObject({ code: 404, type: 'provider_not_found' });
  expect(await refusal(messaging.listTopicLogs('nobody'))).toMatchObject({ code: 404, type: 'topic_not_found' });
  expect(await refusal(messaging.listSubscriberLogs('nobody'))).toMatchObject({ code: 404, type: 'subscriber_not_found' });
  expect(await refusal(messaging.listMessageLogs('nobody'))).toMatchObject({ code: 404, type: 'message_not_found' });
});

it('lists the targets a message names by ID, and none for a message sent to users only (messaging.php:3177-3225 at 1.5.0)', async () => {
  const users = new Users(client);
  const messaging = new Messaging(client);
  await users.create('ann', 'ann@example.com', undefined, 'password-123456', 'Ann');
  await users.create('bob', 'bob@example.com', undefined, 'password-123456', 'Bob');
  const [annMail] = (await users.listTargets('ann')).targets;
  if (!annMail) throw new Error('a new user has an email target');
  await messaging.createEmail('named', 'Hi', 'Body', [], [], [annMail.$id], [], [], [], true);
  const listed = await messaging.listTargets('named');
  expect(listed.total).toBe(1);
  expect(listed.targets.map((t) => [t.$id, t.userId, t.identifier])).toEqual([[annMail.$id, 'ann', 'ann@example.com']]);
  await messaging.createEmail('to-users', 'Hi', 'Body', [], ['ann', 'bob'], [], [], [], [], true);
  expect(await messaging.listTargets('to-users')).toEqual({ total: 0, targets: [] });
  expect(await refusal(messaging.listTargets('nobody'))).toMatchObject({ code: 404, type: 'message_not_found' });
});
