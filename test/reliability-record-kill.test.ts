import { Agent } from 'node:http';
import { existsSync, watch } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalPath, readCassette } from '../src/cassette/cassette-journal.js';
import { runCli } from './support/cli.js';
import { send } from './support/http-client.js';
import { Random } from './support/hostile-requests.js';
import { useFakeUpstream } from './support/fake-upstream.js';

const KEY = 'standard_kill0key';
const HEADERS = { 'content-type': 'application/json', 'x-appwrite-project': 'vcr-test', 'x-appwrite-key': KEY };
const KILLS = 20;

const fake = useFakeUpstream('vcr-record-kill-', KEY);

/** What the cassette's files hold: the JSON document and the journal a killed recorder leaves beside it. */
async function storedIds(file: string): Promise<string[]> {
  if (!existsSync(file) && !existsSync(journalPath(file))) return [];
  const cassette = await readCassette(file);
  return cassette.interactions.map((i) => (i.request.body as { value: { databaseId: string } }).value.databaseId);
}

describe('record killed with SIGKILL at random points', () => {
  it('leaves a cassette and journal that read after each of 20 kills, hold everything seen on disk before the kill, and nothing unsent', async () => {
    const cassettes = await mkdtemp(join(fake.folder, 'c-'));
    const file = join(cassettes, 'kills.json');
    const random = new Random(4242);
    const sent = new Set<string>();
    let before: string[] = [];
    let answeredTotal = 0;
    for (let round = 0; round < KILLS; round++) {
      // The built CLI (npm test builds first): a recorder that the previous round's SIGKILL left its lock to.
      const run = runCli(['record', '--port', '0', '--silent', '--upstream', fake.upstream.endpoint, '--cassettes', cassettes, '--cassette', 'kills']);
      const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      // Kill at a random point: after 1 to 3 journal appends, then 0 to 20 more answers, with 8
      // requests under way. Everything read from the files before the kill must survive it.
      const writesBeforeKill = 1 + random.int(3);
      const answersAfterThat = random.int(21);
      let writes = 0;
      let killAt = Number.POSITIVE_INFINITY;
      // Once a first append is on disk, a round ends within 400 more answers: a test-sized cassette.
      let killCap = Number.POSITIVE_INFINITY;
      let answered = 0;
      let next = 0;
      const snapshots: Promise<string[]>[] = [];
      const watcher = watch(cassettes, (_event, name) => {
        if (name !== 'kills.json' && name !== 'kills.json.journal') return;
        // A write counts once the files are seen holding more than the previous round left.
        const known = before.length;
        snapshots.push(
          storedIds(file).then((ids) => {
            if (ids.length <= known) return ids;
            if (writes === 0) killCap = answered + 400;
            if (++writes === writesBeforeKill) killAt = answered + answersAfterThat;
            return ids;
          }),
        );
      });
      const worker = async (): Promise<void> => {
        for (;;) {
          const id = `r${round}x${next++}`;
          sent.add(id);
          try {
            const answer = await send(agent, `${endpoint}/databases`, 'POST', HEADERS, JSON.stringify({ databaseId: id, name: id }));
            if (answer.status !== 201) throw new Error(`status ${answer.status}`);
          } catch {
            return; // the recorder is gone
          }
          if (++answered >= Math.min(killAt, killCap) && run.child.exitCode === null) run.child.kill('SIGKILL');
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      await run.exited;
      watcher.close();
      agent.destroy();
      answeredTotal += answered;

      const after = await storedIds(file);
      expect(new Set(after).size).toBe(after.length);
      expect(after.every((id) => sent.has(id))).toBe(true);
      expect(after.slice(0, before.length)).toEqual(before);
      const kept = new Set(after);
      for (const snapshot of await Promise.all(snapshots)) expect(snapshot.filter((id) => !kept.has(id))).toEqual([]);
      expect(after.length).toBeGreaterThan(before.length);
      before = after;
    }
    // Batched writes lose at most the last moments before each kill, not whole runs.
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThanOrEqual(answeredTotal + 8 * KILLS);
    console.info(`kill: ${KILLS} SIGKILLs, ${answeredTotal} answers, ${before.length} interactions stored, the cassette read after every kill`);
  });
});

describe('two recording processes on one cassette folder', () => {
  it('keeps both sets of interactions in their own cassettes, and refuses the second on a shared one until the first stops', async () => {
    const cassettes = await mkdtemp(join(fake.folder, 'two-'));
    const start = async (cassette: string) => {
      const run = runCli(['record', '--port', '0', '--silent', '--upstream', fake.upstream.endpoint, '--cassettes', cassettes, '--cassette', cassette]);
      const [, endpoint] = await run.waitFor(/ at (http:\/\/127\.0\.0\.1:\d+\/v1)/);
      return { run, endpoint: endpoint as string };
    };
    const create = (endpoint: string, id: string, cassette?: string) =>
      fetch(`${endpoint}/databases`, {
        method: 'POST',
        headers: { ...HEADERS, ...(cassette ? { 'x-vcr-cassette': cassette } : {}) },
        body: JSON.stringify({ databaseId: id, name: id }),
      });
    const a = await start('a');
    const b = await start('b');
    const ids = Array.from({ length: 50 }, (_, i) => i);
    const statuses = await Promise.all(ids.flatMap((i) => [create(a.endpoint, `a${i}`), create(b.endpoint, `b${i}`)]).map(async (res) => (await res).status));
    expect(statuses.every((status) => status === 201)).toBe(true);

    expect((await create(a.endpoint, 'sharedA', 'shared')).status).toBe(201);
    const refused = await create(b.endpoint, 'sharedB', 'shared');
    expect(refused.status).toBe(500);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /^Failed to record into cassette ".*shared\.json": process \d+ is recording into it/,
    );

    a.run.child.kill('SIGTERM');
    expect(await a.run.exited).toBe(0);
    expect((await create(b.endpoint, 'sharedB2', 'shared')).status).toBe(201);
    b.run.child.kill('SIGTERM');
    expect(await b.run.exited).toBe(0);

    expect((await storedIds(join(cassettes, 'a.json'))).sort()).toEqual(ids.map((i) => `a${i}`).sort());
    expect((await storedIds(join(cassettes, 'b.json'))).sort()).toEqual(ids.map((i) => `b${i}`).sort());
    expect(await storedIds(join(cassettes, 'shared.json'))).toEqual(['sharedA', 'sharedB2']);
  });
});
