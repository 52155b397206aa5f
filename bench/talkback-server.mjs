// talkback in replay only (no recording, unknown requests 404), for `npm run bench -- --peers`.
// Usage: node bench/talkback-server.mjs <talkback module dir> <tapes dir> <header to match>...
// @note talkback's own server listens on every interface (it takes no host), so its request handler
// is served here on 127.0.0.1, the way talkback's server does it: gather the body, handle, answer.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const [module, tapes, ...headers] = process.argv.slice(2);
const talkback = createRequire(import.meta.url)(module);

const handler = await talkback.requestHandler({
  path: tapes,
  record: talkback.Options.RecordMode.DISABLED,
  fallbackMode: talkback.Options.FallbackMode.NOT_FOUND,
  allowHeaders: headers,
  silent: true,
  summary: false,
});

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    handler
      .handle({ headers: req.headers, url: req.url, method: req.method, body: Buffer.concat(chunks) })
      .then((answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      })
      .catch((err) => {
        process.stderr.write(`talkback failed: ${err}\n`);
        res.statusCode = 500;
        res.end();
      });
  });
});

server.listen(0, '127.0.0.1', () => process.stdout.write(`talkback at http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
