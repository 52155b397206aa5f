import type { VcrResponse } from '../model/exchange.js';
import type { StateRoutes } from './state-request.js';

/** locale.php:47-48 at 1.5.0: the answer may be kept for 45 days. */
const CACHED_45_DAYS = Object.freeze({ 'content-type': 'application/json', 'cache-control': `public, max-age=${60 * 60 * 24 * 45}` });

/**
 * The caller's locale as Appwrite 1.5.0 finds it (app/controllers/api/locale.php:20-55): the GeoIP database
 * knows no loopback or private address, so a caller on this machine is in no country and no continent
 * ("Unknown", "--"), outside the EU, with no currency (the model gives null as ''). The address is the
 * loopback one, as the state's sessions record it.
 */
function localeGet(): VcrResponse {
  return {
    status: 200,
    headers: CACHED_45_DAYS,
    body: {
      kind: 'json',
      value: { ip: '127.0.0.1', countryCode: '--', country: 'Unknown', continent: 'Unknown', continentCode: '--', eu: false, currency: '' },
    },
  };
}

export const localeRoutes: StateRoutes = { localeGet };
