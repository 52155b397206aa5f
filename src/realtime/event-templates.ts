/**
 * The event template of each operation whose event reaches a project's realtime clients, from the
 * controllers' `->label('event', ...)` at Appwrite 1.5.0 (app/controllers/api/{account,users,teams,
 * databases,storage,functions}.php). Operations that publish only to the console (attributes, indexes,
 * deployments) or to no channel at all (databases, collections, buckets, functions, messaging) are left
 * out: Appwrite's `Realtime::fromPayload` gives them no channel, so no client ever receives them.
 */
export const EVENT_TEMPLATES: Readonly<Record<string, string>> = Object.freeze({
  databasesCreateDocument: 'databases.[databaseId].collections.[collectionId].documents.[documentId].create',
  databasesUpdateDocument: 'databases.[databaseId].collections.[collectionId].documents.[documentId].update',
  databasesDeleteDocument: 'databases.[databaseId].collections.[collectionId].documents.[documentId].delete',

  storageCreateFile: 'buckets.[bucketId].files.[fileId].create',
  storageUpdateFile: 'buckets.[bucketId].files.[fileId].update',
  storageDeleteFile: 'buckets.[bucketId].files.[fileId].delete',

  functionsCreateExecution: 'functions.[functionId].executions.[executionId].create',

  teamsCreate: 'teams.[teamId].create',
  teamsUpdateName: 'teams.[teamId].update',
  teamsUpdatePrefs: 'teams.[teamId].update.prefs',
  teamsDelete: 'teams.[teamId].delete',
  teamsCreateMembership: 'teams.[teamId].memberships.[membershipId].create',
  teamsUpdateMembership: 'teams.[teamId].memberships.[membershipId].update',
  teamsUpdateMembershipStatus: 'teams.[teamId].memberships.[membershipId].update.status',
  teamsDeleteMembership: 'teams.[teamId].memberships.[membershipId].delete',

  accountCreate: 'users.[userId].create',
  accountDeleteSessions: 'users.[userId].sessions.[sessionId].delete',
  accountDeleteSession: 'users.[userId].sessions.[sessionId].delete',
  accountUpdateSession: 'users.[userId].sessions.[sessionId].update',
  accountCreateEmailPasswordSession: 'users.[userId].sessions.[sessionId].create',
  accountCreateAnonymousSession: 'users.[userId].sessions.[sessionId].create',
  accountCreateSession: 'users.[userId].sessions.[sessionId].create',
  accountUpdateMagicURLSession: 'users.[userId].sessions.[sessionId].create',
  accountUpdatePhoneSession: 'users.[userId].sessions.[sessionId].create',
  accountUpdateMfaChallenge: 'users.[userId].sessions.[sessionId].create',
  accountUpdateName: 'users.[userId].update.name',
  accountUpdatePassword: 'users.[userId].update.password',
  accountUpdateEmail: 'users.[userId].update.email',
  accountUpdatePhone: 'users.[userId].update.phone',
  accountUpdatePrefs: 'users.[userId].update.prefs',
  accountUpdateStatus: 'users.[userId].update.status',
  accountCreateRecovery: 'users.[userId].recovery.[tokenId].create',
  accountUpdateRecovery: 'users.[userId].recovery.[tokenId].update',
  accountCreateVerification: 'users.[userId].verification.[tokenId].create',
  accountUpdateVerification: 'users.[userId].verification.[tokenId].update',
  accountCreatePhoneVerification: 'users.[userId].verification.[tokenId].create',
  accountUpdatePhoneVerification: 'users.[userId].verification.[tokenId].update',
  accountUpdateMFA: 'users.[userId].update.mfa',
  accountCreateMfaAuthenticator: 'users.[userId].update.mfa',
  accountUpdateMfaAuthenticator: 'users.[userId].update.mfa',
  accountCreateMfaRecoveryCodes: 'users.[userId].update.mfa',
  accountUpdateMfaRecoveryCodes: 'users.[userId].update.mfa',
  accountDeleteMfaAuthenticator: 'users.[userId].delete.mfa',
  accountCreateMfaChallenge: 'users.[userId].challenges.[challengeId].create',
  accountDeleteIdentity: 'users.[userId].identities.[identityId].delete',

  usersCreate: 'users.[userId].create',
  usersCreateBcryptUser: 'users.[userId].create',
  usersCreateMD5User: 'users.[userId].create',
  usersCreateArgon2User: 'users.[userId].create',
  usersCreateSHAUser: 'users.[userId].create',
  usersCreatePHPassUser: 'users.[userId].create',
  usersCreateScryptUser: 'users.[userId].create',
  usersCreateScryptModifiedUser: 'users.[userId].create',
  usersCreateTarget: 'users.[userId].targets.[targetId].create',
  usersUpdateStatus: 'users.[userId].update.status',
  usersUpdateLabels: 'users.[userId].update.labels',
  usersUpdatePhoneVerification: 'users.[userId].update.verification',
  usersUpdateName: 'users.[userId].update.name',
  usersUpdatePassword: 'users.[userId].update.password',
  usersUpdateEmail: 'users.[userId].update.email',
  usersUpdatePhone: 'users.[userId].update.phone',
  usersUpdateEmailVerification: 'users.[userId].update.verification',
  usersUpdatePrefs: 'users.[userId].update.prefs',
  usersUpdateTarget: 'users.[userId].targets.[targetId].update',
  usersUpdateMfa: 'users.[userId].update.mfa',
  usersCreateMfaRecoveryCodes: 'users.[userId].create.mfa.recovery-codes',
  usersUpdateMfaRecoveryCodes: 'users.[userId].update.mfa.recovery-codes',
  usersDeleteMfaAuthenticator: 'users.[userId].delete.mfa',
  usersCreateSession: 'users.[userId].sessions.[sessionId].create',
  usersCreateToken: 'users.[userId].tokens.[tokenId].create',
  usersDeleteSession: 'users.[userId].sessions.[sessionId].delete',
  usersDeleteSessions: 'users.[userId].sessions.delete',
  usersDelete: 'users.[userId].delete',
  usersDeleteTarget: 'users.[userId].targets.[targetId].delete',
  usersDeleteIdentity: 'users.[userId].identities.[identityId].delete',
});

const PLACEHOLDERS = new Map<string, readonly string[]>();

/** The placeholders of a template, in order: `[databaseId]` → `databaseId` (worked out once per template). */
export function placeholdersOf(template: string): readonly string[] {
  let names = PLACEHOLDERS.get(template);
  if (names === undefined) {
    names = [...template.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1] as string);
    PLACEHOLDERS.set(template, names);
  }
  return names;
}
