// The ceiling: a bare Node http server answering a fixed JSON body of about 1 KB.
import { createServer } from 'node:http';

const body = JSON.stringify({
  $id: 'bench-user',
  name: 'Ada Lovelace',
  note: 'x'.repeat(940),
});
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`ceiling listening at http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
