import { Client, ID, Messaging, MessagingProviderType, Storage, Users } from 'node-appwrite-13';
import { InputFile } from 'node-appwrite-13/file';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusal } from './support/sdks.js';
import { startTestServer, type TestServer } from './support/server.js';

// What app/controllers/api/messaging.php at 1.5.0 checks and stores when a message is created: the status
// (2613-2619), recipients (2621-2623), targets of the message's channel (2630-2646, 2776-2791, 2901-2916),
// attachments (2648-2669) and a push image (2919-2948), and only the push fields given (2962-2968).
describe('stateful fallback: messages as Appwrite creates them', () => {
  let server: TestServer;
  let messaging: Messaging;
  let storage: Storage;
  let users: Users;
  const PNG = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e2d7f90000000049454e44ae426082',
    'hex',
  );

  beforeAll(async () => {
    server = await startTestServer({ strict: true });
    const client = new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key');
    messaging = new Messaging(client);
    storage = new Storage(client);
    users = new Users(client);
    await users.create('reader', 'reader@example.com', '+14155550101', 'password-1', 'Reader');
    await storage.createBucket('media', 'Media');
    await storage.createFile('media', 'logo', InputFile.fromBuffer(PNG, 'logo.png'));
    await storage.createFile('media', 'notes', InputFile.fromBuffer(Buffer.from('plain text'), 'notes.txt'));
  });
  afterAll(() => server.stop());

  it('stores a draft with no recipients, and answers the delivery fields of the model (null, [], null)', async () => {
    const draft = await messaging.createSms('sms-draft', 'Your code is 1', [], [], [], true);
    expect(draft).toMatchObject({
      status: 'draft',
      providerType: 'sms',
      deliveredAt: null,
      deliveryErrors: [],
      scheduledAt: null,
      deliveredTotal: 0,
      data: { content: 'Your code is 1' },
    });
  });

  it('refuses a message to be sent to nobody with 400 message_missing_target, and queues one with recipients as processing', async () => {
    expect(await refusal(messaging.createSms('sms-nobody', 'Hello'))).toEqual({
      code: 400,
      type: 'message_missing_target',
      message: 'Message with the requested ID has no recipients (topics or users or targets).',
    });
    const queued = await messaging.createSms('sms-reader', 'Hello', [], ['reader']);
    expect(queued.status).toBe('processing');
    expect((await messaging.getMessage('sms-reader')).status).toBe('processing');
  });

  it('refuses a target of another channel: an sms target in an email, an email target in an sms', async () => {
    const { targets } = await users.listTargets('reader');
    const smsTarget = targets.find((t) => t.providerType === MessagingProviderType.Sms)!;
    const emailTarget = targets.find((t) => t.providerType === MessagingProviderType.Email)!;
    expect(await refusal(messaging.createEmail('mail-sms-target', 'Hi', 'Body', [], [], [smsTarget.$id]))).toMatchObject({
      code: 400,
      type: 'message_target_not_email',
    });
    expect(await refusal(messaging.createEmail('mail-sms-cc', 'Hi', 'Body', [], ['reader'], [], [smsTarget.$id]))).toMatchObject({
      code: 400,
      type: 'message_target_not_email',
    });
    expect(await refusal(messaging.createSms('sms-email-target', 'Hi', [], [], [emailTarget.$id]))).toMatchObject({
      code: 400,
      type: 'message_target_not_sms',
      message: 'Message with the target ID is not an SMS target.',
    });
    expect((await messaging.createEmail('mail-email-target', 'Hi', 'Body', [], [], [emailTarget.$id])).targets).toEqual([emailTarget.$id]);
  });

  it('checks each attachment of an email and stores it as {bucketId, fileId}', async () => {
    expect(await refusal(messaging.createEmail('mail-no-bucket', 'Hi', 'Body', [], ['reader'], [], [], [], ['nowhere:logo']))).toMatchObject({
      code: 404,
      type: 'storage_bucket_not_found',
    });
    expect(await refusal(messaging.createEmail('mail-no-file', 'Hi', 'Body', [], ['reader'], [], [], [], ['media:missing']))).toEqual({
      code: 404,
      type: 'storage_file_not_found',
      message: 'The requested file could not be found.',
    });
    expect(await refusal(messaging.getMessage('mail-no-file'))).toMatchObject({ code: 404, type: 'message_not_found' });
    const mail = await messaging.createEmail('mail-attached', 'Hi', 'Body', [], ['reader'], [], [], [], ['media:logo'], true);
    expect(mail.data).toMatchObject({ subject: 'Hi', content: 'Body', attachments: [{ bucketId: 'media', fileId: 'logo' }] });
  });

  it('takes a PNG or JPEG as a push image (a missing file is storage_bucket_not_found too), and keeps only the push fields given', async () => {
    expect(await refusal(messaging.createPush('push-no-file', 'New', 'Body', [], ['reader'], [], undefined, undefined, 'media:missing'))).toMatchObject({
      code: 404,
      type: 'storage_bucket_not_found',
    });
    expect(await refusal(messaging.createPush('push-text', 'New', 'Body', [], ['reader'], [], undefined, undefined, 'media:notes'))).toMatchObject({
      code: 400,
      type: 'storage_file_type_unsupported',
    });
    const push = await messaging.createPush(ID.custom('push-logo'), 'New', 'Body', [], ['reader'], [], undefined, undefined, 'media:logo');
    expect(push.data).toEqual({
      title: 'New',
      body: 'Body',
      image: { bucketId: 'media', fileId: 'logo', url: expect.stringMatching(/\/v1\/storage\/buckets\/media\/files\/logo\/push\?project=test-project$/) },
    });
  });
});
