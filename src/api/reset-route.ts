import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeAnswer, writeError } from '../server/answer-writer.js';
import { errorResponse } from '../model/error-response.js';

/** The admin route `POST /__vcr/reset`: a fresh start (see `VcrServer.reset`). Who may call it is decided before (`adminAccess`). */
export function resetRoute(version: string, reset: () => Promise<void>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/__vcr/reset') return false;
    if (req.method === 'POST') {
      await reset();
      writeAnswer(res, 204, {}, '');
      return true;
    }
    writeError(res, errorResponse('general_not_implemented', version, 'Use POST /__vcr/reset.', 405));
    return true;
  };
}
