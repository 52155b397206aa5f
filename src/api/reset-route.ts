import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeBody } from '../model/body.js';
import { errorResponse } from '../model/error-response.js';

/** The admin route `POST /__vcr/reset`: a fresh start (see `VcrServer.reset`). Who may call it is decided before (`adminAccess`). */
export function resetRoute(version: string, reset: () => Promise<void>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/__vcr/reset') return false;
    if (req.method === 'POST') {
      await reset();
      res.writeHead(204).end();
      return true;
    }
    const response = errorResponse('general_not_implemented', version, 'Use POST /__vcr/reset.', 405);
    const bytes = encodeBody(response.body);
    res.writeHead(response.status, { 'content-type': 'application/json', 'content-length': bytes.length }).end(bytes);
    return true;
  };
}
