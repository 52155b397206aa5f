/**
 * What Appwrite stores of a caller's `User-Agent` on a session (and a log): its OS, client and device, as
 * matomo/device-detector names them (Appwrite 1.5.0 locks 6.1.6; src/Appwrite/Detector/Detector.php maps its
 * `getOs`, `getClient`, `getDeviceName`, `getBrandName` and `getModel`). Only the families apps and SDKs
 * send are known here: Windows, Mac, iOS, iPadOS, Android, Chrome OS, Ubuntu and other Linux; Chrome,
 * Headless Chrome, Chrome Mobile, Edge, Firefox, Safari and Mobile Safari. Anything else is left empty,
 * as the detector leaves what it does not know (it would name HTTP libraries such as curl, OkHttp or Dart
 * `library` clients; they are left empty here).
 * @note The detector itself (its port to Node, node-device-detector) takes about two seconds and 100 MB to
 * answer its first question, more than a whole test file of ours; the families below are what tests meet.
 */
export interface DeviceFields {
  osCode: string;
  osName: string;
  osVersion: string;
  clientType: string;
  clientCode: string;
  clientName: string;
  clientVersion: string;
  clientEngine: string;
  clientEngineVersion: string;
  deviceName: string;
  deviceBrand: string;
  deviceModel: string;
}

interface Os {
  code: string;
  name: string;
  version: string;
  desktop: boolean;
}

/** Windows NT kernel versions as the detector names the release. */
const WINDOWS_RELEASES: Readonly<Record<string, string>> = { '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7', '6.0': 'Vista', '5.1': 'XP' };

const dotted = (version: string | undefined): string => (version ?? '').replaceAll('_', '.');

function osOf(ua: string): Os | null {
  let m: RegExpExecArray | null;
  if ((m = /\bAndroid(?:[ /]([\d.]+))?/i.exec(ua))) return { code: 'AND', name: 'Android', version: m[1] ?? '', desktop: false };
  if ((m = /\biPad\b.*?\bOS (\d+(?:_\d+)*)/.exec(ua))) return { code: 'IPA', name: 'iPadOS', version: dotted(m[1]), desktop: false };
  if ((m = /\b(?:iPhone|iPod)\b.*?\bOS (\d+(?:_\d+)*)/.exec(ua))) return { code: 'IOS', name: 'iOS', version: dotted(m[1]), desktop: false };
  if ((m = /\bCrOS [\w]+ ([\d.]+)/.exec(ua))) return { code: 'COS', name: 'Chrome OS', version: m[1] ?? '', desktop: true };
  if ((m = /\bMac OS X (\d+(?:[_.]\d+)*)/.exec(ua))) return { code: 'MAC', name: 'Mac', version: dotted(m[1]), desktop: true };
  if (/\b(?:Macintosh|darwin)\b/i.test(ua)) return { code: 'MAC', name: 'Mac', version: '', desktop: true };
  if ((m = /\bWindows NT (\d+\.\d+)/.exec(ua))) return { code: 'WIN', name: 'Windows', version: WINDOWS_RELEASES[m[1] ?? ''] ?? '', desktop: true };
  if (/\bUbuntu\b/.test(ua)) return { code: 'UBT', name: 'Ubuntu', version: '', desktop: true };
  if (/\b(?:Linux|X11)\b/i.test(ua)) return { code: 'LIN', name: 'GNU/Linux', version: '', desktop: true };
  return null;
}

interface Browser {
  code: string;
  name: string;
  version: string;
  engine: string;
  engineVersion: string;
}

function browserOf(ua: string, os: Os | null): Browser | null {
  const blink = (code: string, name: string, version: string | undefined): Browser => {
    const chrome = /\bChrome\/([\d.]+)/.exec(ua)?.[1] ?? version ?? '';
    return { code, name, version: version ?? '', engine: 'Blink', engineVersion: chrome };
  };
  let m: RegExpExecArray | null;
  if ((m = /\bEdge?\/([\d.]+)/.exec(ua))) return blink('PS', 'Microsoft Edge', m[1]);
  if ((m = /\bHeadlessChrome\/([\d.]+)/.exec(ua))) return blink('HC', 'Headless Chrome', m[1]);
  if ((m = /\bChrome\/([\d.]+)/.exec(ua)))
    return os?.code === 'AND' && /\bMobile\b/.test(ua) ? blink('CM', 'Chrome Mobile', m[1]) : blink('CH', 'Chrome', m[1]);
  if ((m = /\bFirefox\/([\d.]+)/.exec(ua))) return { code: 'FF', name: 'Firefox', version: m[1] ?? '', engine: 'Gecko', engineVersion: m[1] ?? '' };
  if ((m = /\bVersion\/([\d.]+).*\bSafari\//.exec(ua))) {
    const webkit = /\bAppleWebKit\/([\d.]+)/.exec(ua)?.[1] ?? '';
    const mobile = os !== null && !os.desktop;
    return { code: mobile ? 'MF' : 'SF', name: mobile ? 'Mobile Safari' : 'Safari', version: m[1] ?? '', engine: 'WebKit', engineVersion: webkit };
  }
  return null;
}

function deviceOf(ua: string, os: Os | null): Pick<DeviceFields, 'deviceName' | 'deviceBrand' | 'deviceModel'> {
  if (os?.code === 'IPA') return { deviceName: 'tablet', deviceBrand: 'Apple', deviceModel: 'iPad' };
  if (os?.code === 'IOS') return { deviceName: 'smartphone', deviceBrand: 'Apple', deviceModel: /\biPod\b/.test(ua) ? 'iPod Touch' : 'iPhone' };
  if (os?.code === 'AND')
    return { deviceName: /\bMobile\b/.test(ua) ? 'smartphone' : /\bMozilla\//.test(ua) ? 'tablet' : '', deviceBrand: '', deviceModel: '' };
  if (os?.desktop) return { deviceName: 'desktop', deviceBrand: os.code === 'MAC' ? 'Apple' : '', deviceModel: '' };
  return { deviceName: '', deviceBrand: '', deviceModel: '' };
}

const known = new Map<string, Readonly<DeviceFields>>();
/** Distinct agents remembered; a run sees a handful. */
const KNOWN_LIMIT = 256;

/** The session fields Appwrite derives from a `User-Agent` (an empty one when the request sent none). */
export function deviceFields(userAgent: string): Readonly<DeviceFields> {
  const hit = known.get(userAgent);
  if (hit) return hit;
  const os = osOf(userAgent);
  const browser = browserOf(userAgent, os);
  const fields: DeviceFields = Object.freeze({
    osCode: os?.code ?? '',
    osName: os?.name ?? '',
    osVersion: os?.version ?? '',
    clientType: browser ? 'browser' : '',
    clientCode: browser?.code ?? '',
    clientName: browser?.name ?? '',
    clientVersion: browser?.version ?? '',
    clientEngine: browser?.engine ?? '',
    clientEngineVersion: browser?.engineVersion ?? '',
    ...deviceOf(userAgent, os),
  });
  if (known.size >= KNOWN_LIMIT) known.clear();
  known.set(userAgent, fields);
  return fields;
}
