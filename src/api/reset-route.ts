import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeBody } from '../model/body.js';
import { errorResponse } from '../model/error-response.js';

/** True for a peer on this machine: the reset route answers nobody else. */
function fromLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The admin route `POST /__vcr/reset`: clears the stateful fallback; 403 from any other machine. */
export function resetRoute(version: string, reset: () => Promise<void>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/__vcr/reset') return false;
    let response = errorResponse('general_route_not_found', version);
    if (req.method !== 'POST') response = errorResponse('general_not_implemented', version, 'Use POST /__vcr/reset.', 405);
    else if (!fromLoopback(req)) response = errorResponse('general_access_forbidden', version, 'The reset route answers only requests from this machine.', 403);
    else {
      await reset();
      res.writeHead(204).end();
      return true;
    }
    const bytes = encodeBody(response.body);
    res.writeHead(response.status, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes);
    return true;
  };
}
