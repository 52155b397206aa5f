export { AppwriteState, type AppwriteStateOptions } from './appwrite-state.js';
export type { StateRequest } from './state-request.js';
