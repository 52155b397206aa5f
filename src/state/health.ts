import { json } from './reply.js';
import { fail } from './state-failure.js';
import type { StateHandler, StateRoutes } from './state-request.js';

/**
 * Health as a healthy Appwrite 1.5.0 on its default configuration answers it (app/controllers/api/health.php
 * at 1.5.0): every check passes at once (ping 0), each backend list names its pools the way the default
 * Docker set-up does, antivirus is disabled (`_APP_STORAGE_ANTIVIRUS` defaults to disabled), and no queue
 * holds anything, since replay runs no workers.
 */
/** A passed check; the storage checks set no name, which the healthStatus model fills with ''. */
const pass = (name = '') => ({ name, status: 'pass', ping: 0 });
const statusList = (names: string[]) => json(200, { statuses: names.map((name) => pass(name)), total: names.length });

/** A queue check: its size (always 0 here) against `threshold` (default 5000); a size at or over it is a 503. */
const queue: StateHandler = ({ params }) => {
  const size = 0;
  const threshold = typeof params.threshold === 'number' ? params.threshold : Number(params.threshold ?? 5000);
  // health.php:361: `if ($size >= $threshold)`, so a threshold of 0 is always hit.
  if (size >= threshold) fail('health_queue_size_exceeded', `Queue size threshold hit. Current size is ${size} and threshold is ${threshold}.`);
  return json(200, { size });
};

const QUEUES = ['Webhooks', 'Logs', 'Certificates', 'Builds', 'Databases', 'Deletes', 'Mails', 'Messaging', 'Migrations', 'Functions', 'Usage', 'UsageDump'];

export const healthRoutes: StateRoutes = {
  healthGet: () => json(200, pass('http')),
  healthGetDB: () => statusList(['Console.DB (console)', 'Projects.DB (database_db_main)']),
  healthGetCache: () => statusList(['Cache (cache_redis_main)']),
  healthGetPubSub: () => statusList(['PubSub (pubsub)']),
  healthGetQueue: () => statusList(['Queue (queue)']),
  healthGetStorage: () => json(200, pass()),
  healthGetStorageLocal: () => json(200, pass()),
  healthGetAntivirus: () => json(200, { status: 'disabled', version: '' }),
  healthGetFailedJobs: queue,
  ...Object.fromEntries(QUEUES.map((name) => [`healthGetQueue${name}`, queue])),
};
