import { mfaRoutes } from './account-mfa.js';
import { oauth2Routes } from './account-oauth2.js';
import { profileRoutes } from './account-profile.js';
import { sessionRoutes } from './account-sessions.js';
import { tokenRoutes } from './account-tokens.js';
import { verificationRoutes } from './account-verification.js';
import type { StateRoutes } from './state-request.js';

/** The Account service: the signed-in user's own account, its sessions, tokens, verifications, recovery and MFA. */
export const accountRoutes: StateRoutes = Object.assign({}, profileRoutes, sessionRoutes, tokenRoutes, verificationRoutes, mfaRoutes, oauth2Routes);
