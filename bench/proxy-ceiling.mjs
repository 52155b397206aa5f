// The record ceiling: a bare Node proxy that reads the whole request, forwards it over a kept-alive
// connection and sends the upstream's answer back. No routing, validation, redaction or storage:
// what any recorder written in Node pays before doing its own work.
import { Agent, createServer, request } from 'node:http';

const upstream = new URL(process.argv[2]);
const agent = new Agent({ keepAlive: true });
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const headers = { ...req.headers, host: upstream.host, 'content-length': String(body.length) };
    delete headers.connection;
    const forwarded = request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (answer) => {
      const parts = [];
      answer.on('data', (chunk) => parts.push(chunk));
      answer.on('end', () => {
        const bytes = Buffer.concat(parts);
        res.writeHead(answer.statusCode ?? 502, {
          'content-type': answer.headers['content-type'] ?? 'application/octet-stream',
          'content-length': bytes.length,
        });
        res.end(bytes);
      });
    });
    forwarded.on('error', () => res.writeHead(502).end());
    forwarded.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`proxy ceiling listening at http://127.0.0.1:${server.address().port} -> ${upstream.origin}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
