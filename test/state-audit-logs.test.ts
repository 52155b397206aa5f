import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Messaging, Users } from 'node-appwrite-13';
import { expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { refusal } from './support/sdks.js';

/**
 * The model keeps no audit log: each logs list answers empty once its resource is found, as the real 1.5.0 answered for
 * resources a key made (../shared/appwrite/recordings/node-appwrite-13-all-methods.json: usersListLogs,
 * messagingListProviderLogs, ListTopicLogs, ListSubscriberLogs, all `{"logs":[],"total":0}`), and the resource's 404 otherwise.
 */
it('answers the logs of a user, provider, topic and subscriber empty, and 404 with the resource’s own type for a missing one', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vcr-audit-logs-'));
  const server = await startServer({ port: 0, cassettes: dir });
  try {
    const client = new Client().setEndpoint(server.endpoint).setProject('audit-logs').setKey('standard_key');
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
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
