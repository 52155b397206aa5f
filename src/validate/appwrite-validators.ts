import { isEmailAddress } from './email-address.js';

/**
 * One of Appwrite's own parameter validators: null when the value passes, else its description. Each refuses
 * what is not a string with its own description (`filter_var` of a number is no address; Password and UID
 * ask `is_string` first).
 */
type Check = (value: unknown) => string | null;

/** `Appwrite\Network\Validator\Email` (1.5.0): PHP's FILTER_VALIDATE_EMAIL; `allowEmpty` lets '' through. */
const email =
  (allowEmpty = false): Check =>
  (value) =>
    typeof value === 'string' && ((allowEmpty && value === '') || isEmailAddress(value)) ? null : 'Value must be a valid email address';

/**
 * `Appwrite\Auth\Validator\Password` (1.5.0): 8 to 256 bytes (PHP's `strlen`). `PasswordDictionary`
 * checks the same lengths (its dictionary is off unless a project turns it on) and words its
 * description otherwise, "265" as Appwrite has it.
 */
const password =
  (dictionary: boolean, allowEmpty = false): Check =>
  (value) => {
    if (allowEmpty && value === '') return null;
    const bytes = typeof value === 'string' ? Buffer.byteLength(value) : 0;
    if (bytes >= 8 && bytes <= 256) return null;
    return dictionary
      ? 'Password must be between 8 and 265 characters long, and should not be one of the commonly used password.'
      : 'Password must be between 8 and 256 characters long.';
  };

/** `Utopia\Database\Validator\UID` (utopia-php/database 0.48.4): Key's rule (no `unique()`), its own description. */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/;
const uid: Check = (value) =>
  typeof value === 'string' && KEY.test(value)
    ? null
    : "UID must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, and underscore. Can't start with a leading underscore";

/** `Utopia\Database\Validator\Key` (0.48.4): the same rule, in the words a custom ID gets too. */
const key: Check = (value) =>
  typeof value === 'string' && KEY.test(value)
    ? null
    : "Parameter must contain at most 36 chars. Valid chars are a-z, A-Z, 0-9, period, hyphen, and underscore. Can't start with a special char";

const EMAIL = email();
const PASSWORD = password(false);
const DICTIONARY = password(true);

/**
 * Which of them each account and users operation puts on `email`, `password`, `oldPassword` and
 * `userId` (app/controllers/api/account.php and users.php at 1.5.0). Body `userId`s that take a custom
 * ID are already checked by their spec description; the UID ones say only "User ID.".
 */
const BY_OPERATION: Readonly<Record<string, Readonly<Record<string, Check>>>> = {
  accountCreate: { email: EMAIL, password: DICTIONARY },
  accountUpdateEmail: { email: EMAIL, password: PASSWORD },
  accountUpdatePassword: { password: DICTIONARY, oldPassword: PASSWORD },
  accountUpdatePhone: { password: PASSWORD },
  accountCreateRecovery: { email: EMAIL },
  accountUpdateRecovery: { userId: uid, password: DICTIONARY },
  accountCreateEmailPasswordSession: { email: EMAIL, password: PASSWORD },
  accountCreateEmailToken: { email: EMAIL },
  accountCreateMagicURLToken: { email: EMAIL },
  accountUpdateVerification: { userId: uid },
  accountUpdatePhoneVerification: { userId: uid },
  usersCreate: { email: EMAIL, password: DICTIONARY },
  usersCreateArgon2User: { email: EMAIL, password: PASSWORD },
  usersCreateBcryptUser: { email: EMAIL, password: PASSWORD },
  usersCreateMD5User: { email: EMAIL, password: PASSWORD },
  usersCreatePHPassUser: { email: EMAIL, password: PASSWORD },
  usersCreateScryptUser: { email: EMAIL, password: PASSWORD },
  usersCreateScryptModifiedUser: { email: EMAIL, password: PASSWORD },
  usersCreateSHAUser: { email: EMAIL, password: PASSWORD },
  usersUpdateEmail: { email: email(true) },
  usersUpdatePassword: { password: password(true, true) },
};

/**
 * Appwrite's validator for a parameter, when it is stricter than the spec says (the spec only says
 * "string"); null when the spec's schema says it all. Every ID in a path of the server routes is a UID
 * (`databaseId` to `targetId`, `sessionId` too, which takes `current`), and an attribute or index `key` in
 * a path is a Key (app/controllers/api/*.php at 1.5.0).
 */
export function appwriteCheck(operationId: string, name: string, inPath: boolean): Check | null {
  if (inPath) return name.endsWith('Id') ? uid : name === 'key' ? key : null;
  return BY_OPERATION[operationId]?.[name] ?? null;
}

/**
 * Body booleans whose validator is `Boolean(true)`, which also takes `"true"`, `"false"`, `"1"` and `"0"`
 * (app/controllers/api/databases.php:747, 1012, storage.php:66-72, 243-249, users.php:969, functions.php:1051 at
 * 1.5.0). Every other body boolean is a strict `Boolean()`, which takes only JSON's `true` and `false`.
 */
const LOOSE_BOOLEANS: ReadonlySet<string> = new Set([
  'databasesCreateCollection.documentSecurity',
  'databasesUpdateCollection.documentSecurity',
  'functionsCreateDeployment.activate',
  'storageCreateBucket.fileSecurity',
  'storageCreateBucket.enabled',
  'storageCreateBucket.encryption',
  'storageCreateBucket.antivirus',
  'storageUpdateBucket.fileSecurity',
  'storageUpdateBucket.enabled',
  'storageUpdateBucket.encryption',
  'storageUpdateBucket.antivirus',
  'usersUpdateStatus.status',
]);

/** Whether a JSON body parameter of this operation takes a boolean written as text. */
export function takesBooleanText(operationId: string, name: string): boolean {
  return LOOSE_BOOLEANS.has(`${operationId}.${name}`);
}
