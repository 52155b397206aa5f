/**
 * The attributes each list route lets a query filter or order on: the route's own (`ALLOWED_ATTRIBUTES` of its
 * validator, src/Appwrite/Utopia/Database/Validator/Queries/*.php at 1.5.0, less those its collection does not have:
 * Teams' `billingPlan`), then `$id`, `$createdAt` and `$updatedAt`, which Base.php:43-57 adds to every route.
 */
const OWN_ATTRIBUTES = {
  databases: ['name'],
  collections: ['name', 'enabled', 'documentSecurity'],
  attributes: ['key', 'type', 'size', 'required', 'array', 'status', 'error'],
  indexes: ['key', 'type', 'status', 'attributes', 'error'],
  buckets: ['enabled', 'name', 'fileSecurity', 'maximumFileSize', 'encryption', 'antivirus'],
  files: ['name', 'signature', 'mimeType', 'sizeOriginal', 'chunksTotal', 'chunksUploaded'],
  teams: ['name', 'total'],
  memberships: ['userId', 'teamId', 'invited', 'joined', 'confirm'],
  users: ['name', 'email', 'phone', 'status', 'passwordUpdate', 'registration', 'emailVerification', 'phoneVerification', 'labels'],
  targets: ['userId', 'providerId', 'identifier', 'providerType'],
  identities: ['userId', 'provider', 'providerUid', 'providerEmail', 'providerAccessTokenExpiry'],
  functions: [
    'name',
    'enabled',
    'runtime',
    'deployment',
    'schedule',
    'scheduleNext',
    'schedulePrevious',
    'timeout',
    'entrypoint',
    'commands',
    'installationId',
  ],
  deployments: ['size', 'buildId', 'activate', 'entrypoint', 'commands'],
  executions: ['trigger', 'status', 'responseStatusCode', 'duration'],
  providers: ['name', 'provider', 'type', 'enabled'],
  topics: ['name', 'description', 'emailTotal', 'smsTotal', 'pushTotal'],
  subscribers: ['targetId', 'topicId', 'userId', 'providerType'],
  messages: ['scheduledAt', 'deliveredAt', 'deliveredTotal', 'status', 'description', 'providerType'],
} as const satisfies Record<string, readonly string[]>;

/** A list route whose queries Appwrite checks with one of its route validators. */
export type QueryRoute = keyof typeof OWN_ATTRIBUTES;

const SYSTEM_ATTRIBUTES = ['$id', '$createdAt', '$updatedAt'];

const ROUTES = new Map<QueryRoute, ReadonlySet<string>>(
  Object.entries(OWN_ATTRIBUTES).map(([route, own]) => [route as QueryRoute, new Set([...own, ...SYSTEM_ATTRIBUTES])]),
);

/** The attributes a query on the route may name. */
export function routeAttributes(route: QueryRoute): ReadonlySet<string> {
  return ROUTES.get(route) as ReadonlySet<string>;
}
