import { AppwriteException, Client, Messaging } from 'node-appwrite-13';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

/** Providers as app/controllers/api/messaging.php at 1.5.0 stores them: which parameter is a credential, which an option, when one is enabled. */
describe('stateful fallback: messaging providers', () => {
  let server: TestServer;
  let messaging: Messaging;
  beforeAll(async () => {
    server = await startTestServer({ strict: true });
    messaging = new Messaging(new Client().setEndpoint(server.endpoint).setProject('test-project').setKey('test-key'));
  });
  afterAll(() => server.stop());

  const refusal = async (call: Promise<unknown>): Promise<{ code: number; type: string; message: string }> => {
    const err = await call.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(err instanceof AppwriteException)) throw new Error('the call succeeded');
    return { code: err.code, type: err.type, message: err.message };
  };

  it("keeps a Mailgun provider's region, key and domain as credentials and its senders as options, enabled when everything is set (messaging.php:80-112)", async () => {
    const provider = await messaging.createMailgunProvider(
      'mg1',
      'Mailgun',
      'key-1',
      'mg.example.com',
      true,
      'Shop',
      'shop@example.com',
      undefined,
      undefined,
      true,
    );
    expect(provider).toMatchObject({
      provider: 'mailgun',
      type: 'email',
      enabled: true,
      credentials: { isEuRegion: true, apiKey: 'key-1', domain: 'mg.example.com' },
      options: { fromName: 'Shop', fromEmail: 'shop@example.com', replyToName: '', replyToEmail: '' },
    });
  });

  it('creates a provider disabled when it is not asked to be enabled, or when what it needs is missing', async () => {
    expect((await messaging.createSendgridProvider('sg1', 'Sendgrid', 'key-2', undefined, 'a@example.com')).enabled).toBe(false);
    // Msg91 needs `from` (messaging.php:343-352): without it the provider stays disabled, and has no options at all.
    const msg91 = await messaging.createMsg91Provider('m91', 'MSG91', undefined, 'SENDER', 'auth-1', true);
    expect(msg91).toMatchObject({ enabled: false, credentials: { senderId: 'SENDER', authKey: 'auth-1' }, options: [] });
  });

  it('refuses to enable a provider that misses a credential with 400 provider_missing_credentials (messaging.php:1376-1388)', async () => {
    await messaging.createMsg91Provider('m92', 'MSG91', undefined, 'SENDER', 'auth-1');
    expect(await refusal(messaging.updateMsg91Provider('m92', undefined, true))).toEqual({
      code: 400,
      type: 'provider_missing_credentials',
      message: 'Provider with the requested ID is missing credentials.',
    });
    // node-appwrite 13 sends `templateId` (a later server's parameter) where 1.5.0 reads `from`: sent as 1.5.0's SDKs send it.
    const res = await server.call('PATCH', '/messaging/providers/msg91/m92', { body: { enabled: true, from: '+14155550100' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: true, options: { from: '+14155550100' } });
  });

  it("keeps an SMTP provider's port, username and password as credentials with their defaults, and `encryption: none` as ''", async () => {
    const smtp = await messaging.createSmtpProvider(
      'smtp1',
      'SMTP',
      'smtp.example.com',
      undefined,
      undefined,
      undefined,
      'none' as never,
      undefined,
      undefined,
      undefined,
      'mail@example.com',
      undefined,
      undefined,
      true,
    );
    expect(smtp).toMatchObject({
      enabled: true,
      credentials: { host: 'smtp.example.com', port: 587, username: '', password: '' },
      options: { encryption: '', autoTLS: true, mailer: '', fromEmail: 'mail@example.com', fromName: '' },
    });
  });

  it("answers an FCM provider with `options: []` and stores an APNs update's bundle ID as `bundle`, as 1.5.0 does (messaging.php:1851)", async () => {
    const fcm = await messaging.createFcmProvider('fcm1', 'FCM', { type: 'service_account', project_id: 'p' }, true);
    expect(fcm).toMatchObject({ enabled: true, options: [], credentials: { serviceAccountJSON: { type: 'service_account', project_id: 'p' } } });
    await messaging.createApnsProvider('apns1', 'APNs', 'auth', 'KEY', 'TEAM', 'com.example.app', true, true);
    const updated = await messaging.updateApnsProvider('apns1', undefined, undefined, undefined, undefined, undefined, 'com.example.next');
    expect(updated.credentials).toEqual({ authKey: 'auth', authKeyId: 'KEY', teamId: 'TEAM', bundleId: 'com.example.app', bundle: 'com.example.next' });
    expect(updated.options).toEqual({ sandbox: true });
  });

  it('refuses an update through another kind of provider with 400 provider_incorrect_type', async () => {
    await messaging.createTelesignProvider('ts1', 'Telesign', '+14155550100', 'customer', 'key');
    expect(await refusal(messaging.updateTwilioProvider('ts1', 'Twilio?'))).toEqual({
      code: 400,
      type: 'provider_incorrect_type',
      message: 'Provider with the requested ID is of the incorrect type.',
    });
  });
});
