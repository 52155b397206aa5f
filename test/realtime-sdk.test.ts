import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, Client as WebClient, Databases as WebDatabases, type Models, type RealtimeResponseEvent } from 'appwrite';
import { Client, Databases, Permission, Role, Users } from 'node-appwrite-13';
import { installSdkWindow, type SdkWindow } from './support/realtime-sdk-node.js';
import { startTestServer, type TestServer } from './support/server.js';

const PROJECT = 'test-project';

describe('the appwrite 14.0.1 web SDK subscribes to replay', () => {
  let server: TestServer;
  let sdkWindow: SdkWindow;
  let secret = '';

  beforeAll(async () => {
    server = await startTestServer();
    const admin = new Client().setEndpoint(server.endpoint).setProject(PROJECT).setKey('test-key');
    const users = new Users(admin);
    const databases = new Databases(admin);
    await users.create('ada', 'ada@example.com', undefined, 'correct-horse', 'Ada');
    secret = (await users.createSession('ada')).secret;
    await databases.create('db', 'db');
    await databases.createCollection('db', 'notes', 'Notes', [Permission.create(Role.users())], true);
    await databases.createStringAttribute('db', 'notes', 'title', 100, false);
    sdkWindow = installSdkWindow();
  });
  afterAll(async () => {
    sdkWindow.restore();
    await server.stop();
  });

  it('receives, as the signed-in user of its cookie fallback, the events of its own documents and account', async () => {
    // As the SDK keeps a session where cookies cannot be used: `cookieFallback` in localStorage.
    sdkWindow.storage.set(
      'cookieFallback',
      JSON.stringify({ [`a_session_${PROJECT}`]: Buffer.from(JSON.stringify({ id: 'ada', secret })).toString('base64') }),
    );
    const client = new WebClient().setEndpoint(server.endpoint).setProject(PROJECT);
    const heard: RealtimeResponseEvent<Record<string, unknown>>[] = [];
    let wake: () => void = () => undefined;
    const unsubscribe = client.subscribe(['account', 'databases.db.collections.notes.documents'], (event: RealtimeResponseEvent<Record<string, unknown>>) => {
      heard.push(event);
      wake();
    });
    const heardCount = (count: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => (heard.length >= count ? resolve() : void (wake = check));
        check();
      });
    // The socket carries no cookie from Node: connected as a guest, the SDK authenticates with its fallback session.
    expect((await sdkWindow.frame('connected')).data.user).toBeNull();
    expect((await sdkWindow.frame('response')).data).toMatchObject({ to: 'authentication', success: true, user: { $id: 'ada' } });

    const document: Models.Document = await new WebDatabases(client).createDocument('db', 'notes', 'mine', { title: 'hello' }, [
      Permission.read(Role.user('ada')),
    ]);
    const renamed = await new Account(client).updateName('Ada L.');
    await heardCount(2);
    expect(heard[0]?.events).toContain('databases.db.collections.notes.documents.mine.create');
    expect(heard[0]?.payload).toEqual(JSON.parse(JSON.stringify(document)));
    expect(heard[1]?.events).toContain('users.ada.update.name');
    expect(heard[1]?.channels).toEqual(['account', 'account.ada']);
    // The Account model leaves out the User model's password fields (Model/Account.php at 1.5.0).
    const renamedAccount = JSON.parse(JSON.stringify(renamed)) as Record<string, unknown>;
    for (const key of ['password', 'hash', 'hashOptions', 'mfaRecoveryCodes']) delete renamedAccount[key];
    expect(heard[1]?.payload).toEqual(renamedAccount);
    expect(Object.keys(heard[1]?.payload ?? {})).not.toContain('password');
    unsubscribe();
    await sdkWindow.allClosed();
  });
});
