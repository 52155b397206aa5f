import { connect } from 'node:net';
import type { HostileRequest } from './hostile-requests.js';

export interface RawAnswer {
  /** 0 when no whole answer arrived. */
  status: number;
  headers: Map<string, string>;
  body: Buffer;
  /** Body bytes the client had sent when the answer came (for `stream`). */
  sent: number;
  /** Why no whole answer arrived, if so. */
  failure?: string;
}

/**
 * Sends one hostile request over its own socket and reads the first final answer (1xx are skipped),
 * parsing just enough HTTP to know where it ends. The client never half-closes: Node's server drops
 * the answer of a client that does. `deadlineMs` is a watchdog for a server that hangs.
 */
export function rawExchange(port: number, request: HostileRequest, deadlineMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let sent = 0;
    let done = false;
    let drip: NodeJS.Timeout | undefined;
    const socket = connect(port, '127.0.0.1');
    const finish = (answer: Omit<RawAnswer, 'sent'>): void => {
      if (done) return;
      done = true;
      clearTimeout(watchdog);
      clearInterval(drip);
      socket.destroy();
      resolve({ ...answer, sent });
    };
    const failed = (failure: string): void => finish({ status: 0, headers: new Map(), body: Buffer.alloc(0), failure });
    const watchdog = setTimeout(() => failed(`no answer within ${deadlineMs} ms`), deadlineMs);
    const tryParse = (closed: boolean): void => {
      let start = 0;
      for (;;) {
        const end = received.indexOf('\r\n\r\n', start);
        if (end === -1) return closed ? failed(`connection closed after ${received.length} bytes without a whole answer head`) : undefined;
        const lines = received.subarray(start, end).toString('latin1').split('\r\n');
        const statusLine = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '');
        if (!statusLine) return failed(`not an HTTP status line: ${JSON.stringify(lines[0])}`);
        const status = Number(statusLine[1]);
        const headers = new Map<string, string>();
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon <= 0) return failed(`malformed answer header line ${JSON.stringify(line)}`);
          headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        }
        if (status < 200) {
          start = end + 4;
          continue;
        }
        const bodyStart = end + 4;
        const lengthText = headers.get('content-length');
        const length = request.method === 'HEAD' || status === 204 || status === 304 ? 0 : lengthText === undefined ? null : Number(lengthText);
        if (length === null) return closed ? finish({ status, headers, body: received.subarray(bodyStart) }) : undefined;
        if (received.length - bodyStart >= length) return finish({ status, headers, body: received.subarray(bodyStart, bodyStart + length) });
        return closed ? failed(`answer body cut short: ${received.length - bodyStart} of ${length} bytes`) : undefined;
      }
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryParse(false);
    });
    socket.on('close', () => tryParse(true));
    socket.on('error', () => {
      // A reset after the answer is fine; 'close' follows and decides.
    });
    socket.on('connect', () => {
      socket.write(request.head);
      if (request.mode === 'slow') {
        // One byte at a time, never the whole body: only the server's request timeout ends this.
        drip = setInterval(() => {
          if (!socket.destroyed) socket.write('x');
        }, 100);
      } else if (request.mode === 'stream') {
        const chunk = Buffer.alloc(8 * 1024, 'a');
        const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
        const total = request.streamTotal ?? 0;
        // One chunk after another, and none once the answer has started to arrive.
        const pump = (): void => {
          if (done || received.length > 0 || socket.destroyed) return;
          if (sent >= total) {
            socket.write('0\r\n\r\n');
            return;
          }
          sent += chunk.length;
          socket.write(frame, () => setImmediate(pump));
        };
        pump();
      }
    });
  });
}
