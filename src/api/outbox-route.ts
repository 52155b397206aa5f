import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeBody } from '../model/body.js';
import { errorResponse } from '../model/error-response.js';
import type { OutboxMessage } from '../state/outbox.js';

/**
 * The admin route `GET /__vcr/outbox`: the messages a real Appwrite would have sent, newest last, as
 * `{"total": n, "messages": [...]}`. Who may call it is decided before (`adminAccess`), as for every admin route.
 */
export function outboxRoute(version: string, list: () => OutboxMessage[]) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/__vcr/outbox') return false;
    const response = req.method === 'GET' ? null : errorResponse('general_not_implemented', version, 'Use GET /__vcr/outbox.', 405);
    const messages = list();
    const bytes = response ? encodeBody(response.body) : Buffer.from(JSON.stringify({ total: messages.length, messages }));
    res.writeHead(response?.status ?? 200, { 'content-type': 'application/json', 'content-length': bytes.length, 'cache-control': 'no-store' }).end(bytes);
    return true;
  };
}
