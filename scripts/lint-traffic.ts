/** One API call as the official node SDK (13.0.0) would send it. */
export interface Call {
  method: string;
  /** Relative to the endpoint (`/v1`), with its query string: `/users?queries%5B0%5D=...`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const q = (query: object): string => encodeURIComponent(JSON.stringify(query));
/** The session of a signed-in user (recording redacts its value). */
const SESSION = { 'x-appwrite-session': 'session-secret' };

/**
 * A realistic Appwrite 1.5.0 app flow for one user: users, sign-in and MFA, databases, storage,
 * teams, health, avatars, plus two answers a real server refuses (a bad route, a bad argument).
 * `id` is a 20-hex-digit ID as `ID.unique()` makes them.
 */
export function appFlow(id: string): Call[] {
  const doc = `${id.slice(0, 16)}d0c0`;
  return [
    { method: 'POST', path: '/users', body: { userId: id, email: `${id}@example.com`, password: 'correct-horse-1', name: 'Ada' } },
    { method: 'GET', path: `/users/${id}` },
    { method: 'GET', path: `/users?queries%5B0%5D=${q({ method: 'equal', attribute: 'name', values: ['Ada'] })}&search=` },
    { method: 'POST', path: '/account/sessions/email', body: { email: `${id}@example.com`, password: 'correct-horse-1' } },
    { method: 'GET', path: '/account', headers: SESSION },
    { method: 'GET', path: '/account/mfa/factors', headers: SESSION },
    { method: 'POST', path: '/account/jwt', body: {}, headers: SESSION },
    { method: 'POST', path: `/users/${id}/sessions`, body: {} },
    { method: 'GET', path: `/users/${id}/mfa/factors` },
    { method: 'POST', path: '/databases', body: { databaseId: 'main', name: 'Main' } },
    { method: 'POST', path: '/databases/main/collections', body: { collectionId: 'books', name: 'Books', permissions: ['read("any")'] } },
    { method: 'POST', path: '/databases/main/collections/books/attributes/string', body: { key: 'title', size: 255, required: true } },
    { method: 'POST', path: '/databases/main/collections/books/documents', body: { documentId: doc, data: { title: 'Notes' } } },
    { method: 'GET', path: `/databases/main/collections/books/documents?queries%5B0%5D=${q({ method: 'limit', values: [25] })}` },
    { method: 'GET', path: `/databases/main/collections/books/documents/${doc}` },
    { method: 'POST', path: '/storage/buckets', body: { bucketId: 'photos', name: 'Photos', fileSecurity: false } },
    { method: 'GET', path: `/storage/buckets/photos/files/${doc}` },
    { method: 'GET', path: '/teams' },
    { method: 'GET', path: '/health/queue' },
    { method: 'GET', path: '/avatars/initials?name=Ada+Lovelace&width=64&height=64' },
    { method: 'DELETE', path: `/users/${id}/sessions`, body: {} },
    { method: 'GET', path: '/no/such/route' },
    { method: 'POST', path: '/users', body: { userId: '!bad', email: 'not-an-email' } },
  ];
}
