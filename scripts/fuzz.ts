/**
 * The long fuzz run: `npm run fuzz -- --count 200000 --seed 7`. Starts the built server in a child
 * process, sends hostile requests made from the seed, checks every answer, and exits 1 on any problem.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runFuzz } from '../test/support/fuzz-run.js';
import { startServerProcess } from '../test/support/server-process.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    concurrency: { type: 'string', default: '32' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
const concurrency = Number(values.concurrency);
const maxBodyBytes = 64 * 1024;

const dir = await mkdtemp(join(tmpdir(), 'vcr-fuzz-'));
const server = await startServerProcess({ cassettes: join(dir, 'cassettes'), maxBodyBytes, requestTimeoutMs: 1_000 });
let exitCode = 0;
try {
  process.stdout.write(`fuzz: seed ${seed}, ${count} requests, ${concurrency} at once, against ${server.endpoint}\n`);
  const before = await server.heap();
  const started = performance.now();
  const report = await runFuzz({
    port: Number(new URL(server.url).port),
    seed,
    count,
    maxBodyBytes,
    concurrency,
    deadlineMs: 30_000,
    onAnswer: (i) => {
      if ((i + 1) % 10_000 === 0) process.stdout.write(`  ${i + 1} answered\n`);
    },
  });
  const after = await server.heap();
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${report.requests} requests in ${seconds.toFixed(1)} s, ${report.problemCount} problems\n`);
  process.stdout.write(`by status: ${JSON.stringify(report.byStatus)}\nby kind: ${JSON.stringify(report.byLabel)}\n`);
  process.stdout.write(`heap after forced GC: ${(before.heapUsed / 1e6).toFixed(1)} MB -> ${(after.heapUsed / 1e6).toFixed(1)} MB\n`);
  for (const problem of report.problems) process.stdout.write(`  ${problem}\n`);
  if (after.polluted.length > 0) process.stdout.write(`Object.prototype was polluted: ${after.polluted.join(', ')}\n`);
  if (report.problemCount > 0 || after.polluted.length > 0 || server.child.exitCode !== null) exitCode = 1;
} finally {
  await server.stop().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
process.exitCode = exitCode;
