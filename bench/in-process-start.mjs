// One in-process start, for `npm run bench`: imports the built package, calls startServer() and asks
// GET /v1/health once with node:http (which the server has loaded already), then prints the times.
// Usage: node bench/in-process-start.mjs <cassettes dir> <cassette>
import { request } from 'node:http';

const [cassettes, cassette] = process.argv.slice(2);
const headers = { 'x-appwrite-project': 'bench', 'x-appwrite-key': 'bench-key' };

const imported = performance.now();
const { startServer } = await import('../dist/index.js');
const called = performance.now();
const calledCpu = process.cpuUsage();
const server = await startServer({ port: 0, cassettes, cassette });
const listening = performance.now();
const status = await new Promise((resolve, reject) => {
  request(`${server.url}/v1/health`, { headers }, (res) => {
    res.resume();
    res.once('end', () => resolve(res.statusCode));
  })
    .once('error', reject)
    .end();
});
const answered = performance.now();
// CPU time of the whole process until the answer: less at the mercy of other work on a shared machine than wall time.
const { user, system } = process.cpuUsage();
const startCpu = process.cpuUsage(calledCpu);
const rssMb = process.memoryUsage().rss / 2 ** 20;
await server.close();
process.stdout.write(
  `${JSON.stringify({ status, importMs: called - imported, listenMs: listening - called, firstAnswerMs: answered - called, processToAnswerMs: answered, cpuMs: (user + system) / 1000, startCpuMs: (startCpu.user + startCpu.system) / 1000, rssMb })}\n`,
);
