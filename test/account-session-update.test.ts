import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Account, Client } from 'node-appwrite-13';
import { expect, it } from 'vitest';
import { startServer } from '../src/index.js';

it('answers an extended session as Appwrite 1.5.0 does: `current` false and `expire` in the database text, then read back as usual', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vcr-session-update-'));
  const server = await startServer({ port: 0, cassettes: dir });
  try {
    const client = new Client().setEndpoint(server.endpoint).setProject('session-update');
    const account = new Account(client);
    await account.create('sam', 'sam@example.com', 'password-123456', 'Sam');
    const signIn = await new Account(new Client().setEndpoint(server.endpoint).setProject('session-update').setKey('standard_key')).createEmailPasswordSession(
      'sam@example.com',
      'password-123456',
    );
    client.setSession(signIn.secret);
    const updated = await account.updateSession('current');
    // account.php:653 and 683 at 1.5.0 answer the document as changed, not read back; the real 1.5.0 answered
    // `"current": false, "expire": "2027-11-30 01:41:58.110"` (../shared/appwrite/recordings, accountUpdateSession).
    expect(updated.$id).toBe(signIn.$id);
    expect(updated.current).toBe(false);
    expect(updated.expire).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
    const expire = Date.parse(`${updated.expire.replace(' ', 'T')}Z`);
    expect(Math.abs(expire - (Date.now() + 365 * 24 * 3600 * 1000))).toBeLessThan(60_000);
    const read = await account.getSession('current');
    expect(read.current).toBe(true);
    expect(Date.parse(read.expire)).toBe(expire);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
