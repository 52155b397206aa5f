import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Account, AuthenticatorType, Client, Users } from 'node-appwrite-13';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCassette, type CassetteFile } from '../src/cassette/cassette-format.js';
import { startRecorder, startServer, verifyCassettes } from '../src/index.js';
import type { VcrResponse } from '../src/model/exchange.js';
import { totpCode, totpStep } from './support/totp.js';

const KEY = 'standard_0123456789abcdef0123456789abcdef';
const PROJECT = 'verify-recorded';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vcr-verify-recorded-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Records what `flow` sends through a recorder in front of the stateful model; returns the cassette. */
async function record(flow: (endpoint: string) => Promise<void>): Promise<CassetteFile> {
  const upstream = await startServer({ port: 0, cassettes: join(dir, 'upstream') });
  const recorder = await startRecorder({ upstream: upstream.endpoint, port: 0, cassettes: join(dir, 'recorded'), cassette: 'flow' });
  try {
    await flow(recorder.endpoint);
  } finally {
    await recorder.close();
    await upstream.close();
  }
  return parseCassette(await readFile(join(dir, 'recorded', 'flow.json'), 'utf8'), 'flow.json');
}

/** Writes an edited cassette into a folder of its own and verifies that folder. */
async function verifyEdited(cassette: CassetteFile) {
  await mkdir(join(dir, 'edited'), { recursive: true });
  await writeFile(join(dir, 'edited', 'flow.json'), JSON.stringify(cassette));
  return verifyCassettes({ cassettes: join(dir, 'edited') });
}

function errorAnswer(status: number, type: string, message: string): VcrResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: { kind: 'json', value: { message, code: status, type, version: '1.5.0' } } };
}

function nth(cassette: CassetteFile, operationId: string, n = 0) {
  const found = cassette.interactions.filter((i) => i.operationId === operationId)[n];
  if (!found) throw new Error(`no ${operationId} #${n} in the recording`);
  return found;
}

const admin = (endpoint: string) => new Users(new Client().setEndpoint(endpoint).setProject(PROJECT).setKey(KEY));

describe('verify: differences that come from the recorded server, not the model', () => {
  it('undoes what the model wrote for a request the recorded server refused, so the later answers agree', async () => {
    const cassette = await record(async (endpoint) => {
      await admin(endpoint).create('first', 'first@example.com', undefined, 'password-123456', 'First');
      await admin(endpoint).create('second', 'second@example.com', undefined, 'password-123456', 'Second');
      await admin(endpoint).list();
    });
    // As if the recorded server had failed the second create: it stored nothing, so its list held one user.
    nth(cassette, 'usersCreate', 1).response = errorAnswer(500, 'general_unknown', 'Server Error');
    const list = nth(cassette, 'usersList').response.body;
    if (list?.kind !== 'json') throw new Error('the list was not recorded as JSON');
    const value = list.value as { total: number; users: unknown[] };
    value.users = value.users.slice(0, 1);
    value.total = 1;
    const report = await verifyEdited(cassette);
    expect(report.summary).toMatchObject({ exchanges: 3, equal: 2, differing: 0, explained: 1 });
    expect(report.operations.find((op) => op.operationId === 'usersList')).toMatchObject({ equal: 1, differing: 0 });
    expect(report.explanations).toEqual([expect.objectContaining({ id: 'appwrite-1.5.0-bug', exchanges: 1 })]);
    expect(report.operations.find((op) => op.operationId === 'usersCreate')?.examples[0]).toMatchObject({
      explainedBy: 'appwrite-1.5.0-bug',
      differences: ['status 201, recorded 500', 'type none, recorded general_unknown'],
    });
  });

  it('counts an error the recorded server gave for its own setup as explained, with the reason, and still reports a difference of the model', async () => {
    const cassette = await record(async (endpoint) => {
      const guest = new Account(new Client().setEndpoint(endpoint).setProject(PROJECT));
      await guest.create('dora', 'dora@example.com', 'password-123456', 'Dora');
      await guest.createRecovery('dora@example.com', 'http://localhost/reset');
      await admin(endpoint).get('dora');
    });
    // account.php:2849 at 1.5.0: without _APP_SMTP_HOST the recovery is refused.
    nth(cassette, 'accountCreateRecovery').response = errorAnswer(503, 'general_smtp_disabled', 'SMTP Disabled');
    const got = nth(cassette, 'usersGet').response.body;
    if (got?.kind !== 'json') throw new Error('the user was not recorded as JSON');
    (got.value as Record<string, unknown>).name = 'Dora the Explorer';
    const report = await verifyEdited(cassette);
    expect(report.summary).toMatchObject({ exchanges: 3, equal: 1, differing: 1, explained: 1 });
    const [smtp] = report.explanations;
    expect(smtp?.id).toBe('upstream-without-smtp');
    expect(smtp?.reason).toContain('account.php:1664');
    expect(report.operations[0]).toMatchObject({ operationId: 'usersGet', differing: 1 });
    expect(report.operations[1]).toMatchObject({ operationId: 'accountCreateRecovery', explained: 1, differing: 0 });
  });

  it('sends the code of the model’s own authenticator where the recorded server took the recorded code', async () => {
    const cassette = await record(async (endpoint) => {
      const client = new Client().setEndpoint(endpoint).setProject(PROJECT);
      const account = new Account(client);
      await account.create('mira', 'mira@example.com', 'password-123456', 'Mira');
      const session = await new Account(new Client().setEndpoint(endpoint).setProject(PROJECT).setKey(KEY)).createEmailPasswordSession(
        'mira@example.com',
        'password-123456',
      );
      client.setSession(session.secret);
      const { secret } = await account.createMfaAuthenticator(AuthenticatorType.Totp);
      await account.updateMfaAuthenticator(AuthenticatorType.Totp, totpCode(secret, totpStep()));
      // A wrong code: refused there, and so sent as recorded.
      await account.updateMfaAuthenticator(AuthenticatorType.Totp, '000000').catch(() => undefined);
      await account.listMfaFactors();
    });
    expect(JSON.stringify(cassette)).not.toMatch(/"secret":"[A-Z2-7]{20,}/);
    const factors = nth(cassette, 'accountListMfaFactors').response.body;
    expect(factors).toEqual({ kind: 'json', value: { email: false, phone: false, totp: true } });
    const report = await verifyEdited(cassette);
    // Each exchange equal, the refused code included: the model took its own secret's code and refused 000000.
    expect(report.summary).toMatchObject({ exchanges: 6, equal: 6, differing: 0, explained: 0 });
    expect(report.operations.find((op) => op.operationId === 'accountUpdateMfaAuthenticator')).toMatchObject({ exchanges: 2, equal: 2 });
  });

  it('takes the session’s OS, client and device from the caller’s User-Agent, as the recorded Appwrite 1.5.0 did', async () => {
    const server = await startServer({ port: 0, cassettes: join(dir, 'none') });
    try {
      const account = new Account(new Client().setEndpoint(server.endpoint).setProject(PROJECT));
      await account.create('ua', 'ua@example.com', 'password-123456', 'Ua');
      const session = await account.createEmailPasswordSession('ua@example.com', 'password-123456');
      // node-appwrite 13 sends `AppwriteNodeJSSDK/13.0.0 (linux; x64) Node.js/v20...`; the real 1.5.0 answered these
      // fields for it (../shared/appwrite/recordings/node-appwrite-13-all-methods.json, accountCreateAnonymousSession).
      expect(process.platform).toBe('linux');
      expect(session).toMatchObject({
        osCode: 'LIN',
        osName: 'GNU/Linux',
        osVersion: '',
        deviceName: 'desktop',
        deviceBrand: '',
        clientType: '',
        clientName: '',
      });
    } finally {
      await server.close();
    }
  });
});
