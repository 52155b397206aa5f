import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPageServer, type PageServer } from './support/page-server.js';
import { startTestServer, type TestServer } from './support/server.js';

const PROJECT = 'web-app';

/**
 * A web app as a frontend team tests it: a page on one loopback origin that uses the `appwrite` 14.0.1
 * web SDK in Debian's Chromium against replay on another, with an empty cassette folder.
 * Each step runs in the page; what it returns is checked here.
 */
describe('a web app in Chromium with the appwrite 14.0.1 web SDK against replay on another origin', () => {
  let server: TestServer;
  let app: PageServer;
  let browser: Browser;
  let page: Page;
  const consoleLines: string[] = [];
  const failedRequests: string[] = [];

  /** Runs `body` in the page with `sdk` (the SDK's global), `client`, `endpoint` and `project` in scope. */
  const inPage = <T>(body: string): Promise<T> =>
    page.evaluate(
      new Function(
        `return (async () => { const sdk = window.Appwrite; const client = window.client; const endpoint = window.endpoint; const project = window.project; ${body} })();`,
      ) as () => Promise<T>,
    );

  /** Signs a new user up and in from the page, as the app's sign-up form does; returns the user's ID. */
  const signUp = async (name: string): Promise<string> => {
    const email = `${name.toLowerCase()}-${Date.now()}@example.com`;
    const user = await inPage<{ $id: string }>(`
      const account = new sdk.Account(client);
      const user = await account.create(sdk.ID.unique(), ${JSON.stringify(email)}, 'Browser-Password-77', ${JSON.stringify(name)});
      await account.createEmailPasswordSession(${JSON.stringify(email)}, 'Browser-Password-77');
      return user;`);
    return user.$id;
  };
  /** What the browser reports of a cross-origin call it blocked or that failed. */
  const expectNoCorsProblem = (): void => {
    expect(consoleLines.filter((line) => /CORS|Access-Control|blocked by/i.test(line))).toEqual([]);
    expect(failedRequests).toEqual([]);
    expect(consoleLines.filter((line) => line.startsWith('pageerror'))).toEqual([]);
  };

  beforeAll(async () => {
    server = await startTestServer();
    app = await startPageServer();
    // What the app's back office made beforehand, with a key: a collection and a bucket users may write to.
    expect((await server.call('POST', '/databases', { body: { databaseId: 'main', name: 'Main' } })).status).toBe(201);
    expect(
      (
        await server.call('POST', '/databases/main/collections', {
          body: { collectionId: 'notes', name: 'Notes', permissions: ['create("users")', 'read("users")', 'update("users")'], documentSecurity: false },
        })
      ).status,
    ).toBe(201);
    expect(
      (await server.call('POST', '/databases/main/collections/notes/attributes/string', { body: { key: 'title', size: 255, required: true } })).status,
    ).toBe(202);
    expect((await server.call('POST', '/databases/main/collections/notes/attributes/integer', { body: { key: 'stars', required: false } })).status).toBe(202);
    expect(
      (
        await server.call('POST', '/storage/buckets', {
          body: { bucketId: 'pictures', name: 'Pictures', permissions: ['create("users")', 'read("any")'], fileSecurity: false },
        })
      ).status,
    ).toBe(201);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
    page.on('requestfailed', (request) => failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? ''}`));
    await page.goto(`${app.origin}/`);
    await page.evaluate(
      ([endpoint, project]) => {
        const w = globalThis as unknown as Record<string, unknown> & {
          Appwrite: { Client: new () => { setEndpoint(e: string): { setProject(p: string): unknown } } };
        };
        w.endpoint = endpoint;
        w.project = project;
        w.client = new w.Appwrite.Client().setEndpoint(endpoint!).setProject(project!);
      },
      [server.endpoint, PROJECT],
    );
  }, 60_000);

  // Each test starts as a guest: no session cookie on replay's origin, no fallback cookie in the page.
  beforeEach(async () => {
    await page.context().clearCookies();
    await page.evaluate('window.localStorage.clear()');
    consoleLines.length = 0;
    failedRequests.length = 0;
  });
  afterEach(() => {
    expectNoCorsProblem();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await server?.stop();
  });

  it("runs on two origins: the page's and replay's", () => {
    expect(new URL(app.origin).port).not.toBe(new URL(server.url).port);
  });

  it('reads the locale as a guest', async () => {
    const locale = await inPage<{ countryCode: string }>('return await new sdk.Locale(client).get();');
    expect(locale.countryCode).toBe('--');
  });

  it('shows an avatar in an <img> that loads', async () => {
    const size = await inPage<{ width: number; height: number }>(`
      const img = document.createElement('img');
      img.src = new sdk.Avatars(client).getInitials('Ada Lovelace', 64, 64).toString();
      document.getElementById('app').append(img);
      await new Promise((resolve, reject) => { img.onload = resolve; img.onerror = () => reject(new Error('avatar did not load: ' + img.src)); });
      return { width: img.naturalWidth, height: img.naturalHeight };`);
    expect(size).toEqual({ width: 64, height: 64 });
  });

  it('signs up, signs in, and account.get is that user', async () => {
    const result = await inPage<{ created: Record<string, unknown>; session: Record<string, unknown>; me: Record<string, unknown>; fallback: string | null }>(`
      const account = new sdk.Account(client);
      const created = await account.create(sdk.ID.unique(), 'grace@example.com', 'Browser-Password-77', 'Grace');
      const session = await account.createEmailPasswordSession('grace@example.com', 'Browser-Password-77');
      const me = await account.get();
      return { created, session, me, fallback: window.localStorage.getItem('cookieFallback') };`);
    expect(result.created).toMatchObject({ email: 'grace@example.com', name: 'Grace' });
    expect(result.created).not.toHaveProperty('password');
    expect(result.session).toMatchObject({ userId: result.created.$id, provider: 'email', current: true, secret: '' });
    expect(result.me.$id).toBe(result.created.$id);
    // The SDK kept what X-Fallback-Cookies carried: the header was exposed to it through CORS.
    expect(Object.keys(JSON.parse(result.fallback ?? '{}') as object)).toEqual([`a_session_${PROJECT}`]);
  });

  it("round-trips the user's prefs", async () => {
    await signUp('Prefs');
    const prefs = await inPage<Record<string, unknown>>(`
      const account = new sdk.Account(client);
      await account.updatePrefs({ theme: 'dark', fontSize: 14 });
      return await account.getPrefs();`);
    expect(prefs).toEqual({ theme: 'dark', fontSize: 14 });
  });

  it('creates, lists with queries, updates and reads a document', async () => {
    await signUp('Notes');
    const result = await inPage<{
      created: Record<string, unknown>;
      listed: { total: number; documents: Record<string, unknown>[] };
      updated: Record<string, unknown>;
      read: Record<string, unknown>;
    }>(`
      const databases = new sdk.Databases(client);
      const created = await databases.createDocument('main', 'notes', sdk.ID.unique(), { title: 'First note', stars: 3 });
      await databases.createDocument('main', 'notes', sdk.ID.unique(), { title: 'Second note', stars: 5 });
      const listed = await databases.listDocuments('main', 'notes', [sdk.Query.equal('title', ['First note']), sdk.Query.limit(10)]);
      const updated = await databases.updateDocument('main', 'notes', created.$id, { stars: 4 });
      const read = await databases.getDocument('main', 'notes', created.$id);
      return { created, listed, updated, read };`);
    expect(result.created).toMatchObject({ title: 'First note', stars: 3 });
    expect(result.listed.total).toBe(1);
    expect(result.listed.documents[0]!.$id).toBe(result.created.$id);
    expect(result.updated.stars).toBe(4);
    expect(result.read).toMatchObject({ $id: result.created.$id, title: 'First note', stars: 4 });
  });

  it('uploads a picture made in the page and shows it with getFileView in an <img>', async () => {
    await signUp('Pictures');
    const result = await inPage<{ file: Record<string, unknown>; width: number; height: number }>(`
      const canvas = document.createElement('canvas');
      canvas.width = 3; canvas.height = 2;
      const ctx = canvas.getContext('2d'); ctx.fillStyle = '#c00'; ctx.fillRect(0, 0, 3, 2);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
      const storage = new sdk.Storage(client);
      const file = await storage.createFile('pictures', sdk.ID.unique(), new File([blob], 'dot.png', { type: 'image/png' }));
      const img = document.createElement('img');
      img.src = storage.getFileView('pictures', file.$id).toString();
      document.getElementById('app').append(img);
      await new Promise((resolve, reject) => { img.onload = resolve; img.onerror = () => reject(new Error('file view did not load: ' + img.src)); });
      return { file, width: img.naturalWidth, height: img.naturalHeight };`);
    expect(result.file).toMatchObject({ name: 'dot.png', mimeType: 'image/png', bucketId: 'pictures' });
    expect({ width: result.width, height: result.height }).toEqual({ width: 3, height: 2 });
  });

  it('creates a JWT and makes a call authenticated by that JWT alone (no cookie, no fallback)', async () => {
    const userId = await signUp('Token');
    const result = await inPage<{ status: number; me: Record<string, unknown> }>(`
      const { jwt } = await new sdk.Account(client).createJWT();
      const res = await fetch(endpoint + '/account', { credentials: 'omit', headers: { 'X-Appwrite-Project': project, 'X-Appwrite-JWT': jwt } });
      return { status: res.status, me: await res.json() };`);
    expect(result.status).toBe(200);
    expect(result.me).toMatchObject({ $id: userId, name: 'Token' });
  });

  it('signs out, after which account.get is 401', async () => {
    await signUp('Leaving');
    const result = await inPage<{ code: number; type: string; fallback: string | null }>(`
      const account = new sdk.Account(client);
      await account.deleteSession('current');
      try { await account.get(); return { code: 0, type: 'signed in still', fallback: null }; }
      catch (e) { return { code: e.code, type: e.type, fallback: window.localStorage.getItem('cookieFallback') }; }`);
    expect(result).toMatchObject({ code: 401, type: 'general_unauthorized_scope' });
    expect(result.fallback).toBe('[]');
  });

  it('shows no CORS error in the console and no failed request', async () => {
    // Calls with credentials, an error answer, a list with queries and an image: each crosses the origins.
    const userId = await signUp('Quiet');
    const seen = await inPage<{ me: string; listed: number; refused: number; loaded: boolean }>(`
      const me = (await new sdk.Account(client).get()).$id;
      await new sdk.Databases(client).createDocument('main', 'notes', sdk.ID.unique(), { title: 'Quiet note' });
      const listed = (await new sdk.Databases(client).listDocuments('main', 'notes', [sdk.Query.equal('title', ['Quiet note'])])).total;
      const refused = await new sdk.Databases(client).getDocument('main', 'notes', 'no-such-note').then(() => 0, (e) => e.code);
      const img = document.createElement('img');
      img.src = new sdk.Avatars(client).getInitials('Quiet', 32, 32).toString();
      document.getElementById('app').append(img);
      const loaded = await new Promise((resolve) => { img.onload = () => resolve(true); img.onerror = () => resolve(false); });
      return { me, listed, refused, loaded };`);
    expect(seen).toEqual({ me: userId, listed: 1, refused: 404, loaded: true });
    expectNoCorsProblem();
  });
});
