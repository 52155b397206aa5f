// A replay server from the built package in a process of its own, started with --expose-gc so that
// a test can force a collection and read the heap over IPC. Options come as JSON in argv[2].
import { startServer } from '../../dist/index.js';

const server = await startServer(JSON.parse(process.argv[2] ?? '{}'));
process.on('message', (message) => {
  if (message.type === 'heap') {
    // Two passes: the first may only queue finalisers that free more on the second.
    globalThis.gc();
    globalThis.gc();
    process.send({ type: 'heap', heapUsed: process.memoryUsage().heapUsed, polluted: Object.keys(Object.prototype) });
  } else if (message.type === 'stop') {
    void server.close().then((summary) => process.send({ type: 'stopped', summary }, () => process.exit(0)));
  }
});
process.send({ type: 'ready', url: server.url, endpoint: server.endpoint });
