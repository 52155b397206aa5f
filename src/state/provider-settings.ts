import { extendableCopy } from '../model/extendable-copy.js';
import type { Model } from './state-data.js';
import { fail } from './state-failure.js';

/**
 * How a parameter becomes a setting (app/controllers/api/messaging.php at 1.5.0): `filled` only when not
 * empty (PHP's `!empty`), `given` when not null (`!is_null`, for booleans and JSON), `always` on create
 * with the parameter's default when absent.
 */
type Rule = ({ keep: 'filled' } | { keep: 'given' } | { keep: 'always'; default: unknown }) & {
  /** The key an update stores the value under, when it differs. */
  updateAs?: string;
};

interface ProviderRules {
  credentials: Record<string, Rule>;
  /** `list`: the provider has no options, which PHP's empty array answers as `[]`. */
  options: Record<string, Rule> | 'list';
  /** What must be set for the provider to be enabled. */
  needs: { credentials: string[]; options: string[] };
}

const filled: Rule = { keep: 'filled' };
const given: Rule = { keep: 'given' };
const always = (value: unknown): Rule => ({ keep: 'always', default: value });
const senders = { fromName: always(''), fromEmail: always(''), replyToName: always(''), replyToEmail: always('') };
const sms = (a: string, b: string): ProviderRules => ({
  credentials: { [a]: filled, [b]: filled },
  options: { from: filled },
  needs: { credentials: [a, b], options: ['from'] },
});

const PROVIDERS: Record<string, ProviderRules> = {
  mailgun: {
    credentials: { isEuRegion: given, apiKey: filled, domain: filled },
    options: senders,
    needs: { credentials: ['isEuRegion', 'apiKey', 'domain'], options: ['fromEmail'] },
  },
  sendgrid: { credentials: { apiKey: filled }, options: senders, needs: { credentials: ['apiKey'], options: ['fromEmail'] } },
  smtp: {
    credentials: { port: always(587), username: always(''), password: always(''), host: filled },
    options: { ...senders, encryption: always(''), autoTLS: always(true), mailer: always('') },
    needs: { credentials: ['host'], options: ['fromEmail'] },
  },
  msg91: sms('senderId', 'authKey'),
  telesign: sms('customerId', 'apiKey'),
  textmagic: sms('username', 'apiKey'),
  twilio: sms('accountSid', 'authToken'),
  vonage: sms('apiKey', 'apiSecret'),
  fcm: { credentials: { serviceAccountJSON: given }, options: 'list', needs: { credentials: ['serviceAccountJSON'], options: [] } },
  // @note An APNs update stores the bundle ID as `bundle` (messaging.php:1851 at 1.5.0), so an updated
  // provider has `bundle` beside the `bundleId` it was created with; apps see both, so both are kept.
  apns: {
    credentials: { authKey: filled, authKeyId: filled, teamId: filled, bundleId: { keep: 'filled', updateAs: 'bundle' } },
    options: { sandbox: always(false) },
    needs: { credentials: ['authKey', 'authKeyId', 'teamId', 'bundleId'], options: [] },
  },
};

function isSet(rule: Rule, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  // PHP's empty(): '', 0, false and '0' are empty.
  return rule.keep !== 'filled' || (value !== '' && value !== 0 && value !== false && value !== '0');
}

/** `encryption: none` is kept as '' (messaging.php:256-265). */
function settingValue(key: string, value: unknown): unknown {
  return key === 'encryption' && value === 'none' ? '' : value;
}

function merge(into: Model, rules: Record<string, Rule>, params: Record<string, unknown>, creating: boolean): Model {
  for (const [key, rule] of Object.entries(rules)) {
    const value = params[key];
    if (isSet(rule, value)) into[creating ? key : (rule.updateAs ?? key)] = settingValue(key, value);
    else if (creating && rule.keep === 'always') into[key] = rule.default;
  }
  return into;
}

function hasEverything(rules: ProviderRules, credentials: Model, options: Model | unknown[], strict: boolean): boolean {
  const present = (set: Model | unknown[], key: string): boolean =>
    !Array.isArray(set) && Object.hasOwn(set, key) && (!strict || isSet(filled, set[key]) || typeof set[key] === 'boolean');
  return rules.needs.credentials.every((k) => present(credentials, k)) && rules.needs.options.every((k) => present(options, k));
}

export interface ProviderSettings {
  credentials: Model | unknown[];
  options: Model | unknown[];
  enabled: boolean;
}

/** PHP encodes an empty array as a JSON list: settings with nothing in them answer `[]`. */
function phpArray(settings: Model | unknown[]): Model | unknown[] {
  return !Array.isArray(settings) && Object.keys(settings).length === 0 ? [] : settings;
}

/** A new provider's credentials, options and `enabled`: enabled only when asked and everything it needs is set. */
export function newProviderSettings(provider: string, params: Record<string, unknown>): ProviderSettings {
  const rules = PROVIDERS[provider]!;
  const credentials = merge({}, rules.credentials, params, true);
  const options = rules.options === 'list' ? [] : merge({}, rules.options, params, true);
  // Create checks the values (`!empty($fromEmail)`), update only that the keys exist.
  return {
    credentials: phpArray(credentials),
    options: phpArray(options),
    enabled: params.enabled === true && hasEverything(rules, credentials, options, true),
  };
}

/**
 * A provider's settings after an update: the given values over the stored ones; `enabled: true` is refused
 * with `provider_missing_credentials` when something it needs is missing, and a provider of another kind
 * with `provider_incorrect_type`.
 */
export function updatedProviderSettings(provider: string, stored: Readonly<Model>, params: Record<string, unknown>): ProviderSettings {
  if (stored.provider !== provider) fail('provider_incorrect_type');
  const rules = PROVIDERS[provider]!;
  const storedCredentials = stored.credentials;
  const credentials = merge(Array.isArray(storedCredentials) ? {} : extendableCopy((storedCredentials ?? {}) as Model), rules.credentials, params, false);
  const storedOptions = stored.options;
  const options =
    rules.options === 'list' || Array.isArray(storedOptions)
      ? rules.options === 'list'
        ? []
        : merge({}, rules.options, params, false)
      : merge(extendableCopy((storedOptions ?? {}) as Model), rules.options, params, false);
  let enabled = stored.enabled === true;
  if (params.enabled === true) {
    if (!hasEverything(rules, credentials, options, false)) fail('provider_missing_credentials');
    enabled = true;
  } else if (params.enabled === false) {
    enabled = false;
  }
  return { credentials: phpArray(credentials), options: phpArray(options), enabled };
}
