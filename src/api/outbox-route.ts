import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeError, writeJson } from '../server/answer-writer.js';
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
    if (req.method !== 'GET') {
      writeError(res, errorResponse('general_not_implemented', version, 'Use GET /__vcr/outbox.', 405));
      return true;
    }
    const messages = list();
    writeJson(res, 200, Buffer.from(JSON.stringify({ total: messages.length, messages })));
    return true;
  };
}
