import { describe, expect, it } from 'vitest';
import { deviceFields } from './user-agent.js';

/**
 * The values matomo/device-detector 6.1.6 (the version Appwrite 1.5.0's composer.lock names) gives for each agent,
 * as src/Appwrite/Detector/Detector.php maps them; checked against its Node port, node-device-detector 2.2.7.
 */
const AGENTS: [string, string, Partial<ReturnType<typeof deviceFields>>][] = [
  [
    'node-appwrite 13 on Linux',
    'AppwriteNodeJSSDK/13.0.0 (linux; x64) Node.js/v20.20.2',
    { osCode: 'LIN', osName: 'GNU/Linux', osVersion: '', clientType: '', clientCode: '', deviceName: 'desktop', deviceBrand: '' },
  ],
  [
    'node-appwrite on a Mac',
    'AppwriteNodeJSSDK/13.0.0 (darwin; arm64) Node.js/v22.1.0',
    { osCode: 'MAC', osName: 'Mac', deviceName: 'desktop', deviceBrand: 'Apple' },
  ],
  [
    'Chrome on Linux',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    {
      osCode: 'LIN',
      clientType: 'browser',
      clientCode: 'CH',
      clientName: 'Chrome',
      clientVersion: '120.0.0.0',
      clientEngine: 'Blink',
      clientEngineVersion: '120.0.0.0',
      deviceName: 'desktop',
    },
  ],
  [
    'Headless Chrome (Playwright, Puppeteer)',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36',
    { clientCode: 'HC', clientName: 'Headless Chrome', clientVersion: '120.0.6099.28', clientEngineVersion: '120.0.6099.28' },
  ],
  [
    'Firefox on Windows 10',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
    {
      osCode: 'WIN',
      osName: 'Windows',
      osVersion: '10',
      clientCode: 'FF',
      clientName: 'Firefox',
      clientEngine: 'Gecko',
      clientEngineVersion: '121.0',
      deviceName: 'desktop',
    },
  ],
  [
    'Edge',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
    { clientCode: 'PS', clientName: 'Microsoft Edge', clientVersion: '120.0.2210.91', clientEngine: 'Blink', clientEngineVersion: '120.0.0.0' },
  ],
  [
    'Safari on macOS',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
    {
      osCode: 'MAC',
      osVersion: '10.15.7',
      clientCode: 'SF',
      clientName: 'Safari',
      clientVersion: '17.1',
      clientEngine: 'WebKit',
      clientEngineVersion: '605.1.15',
      deviceBrand: 'Apple',
    },
  ],
  [
    'Mobile Safari on an iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
    {
      osCode: 'IOS',
      osName: 'iOS',
      osVersion: '17.0',
      clientCode: 'MF',
      clientName: 'Mobile Safari',
      deviceName: 'smartphone',
      deviceBrand: 'Apple',
      deviceModel: 'iPhone',
    },
  ],
  [
    'Mobile Safari on an iPad',
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
    { osCode: 'IPA', osName: 'iPadOS', osVersion: '16.6', deviceName: 'tablet', deviceModel: 'iPad' },
  ],
  [
    'Chrome Mobile on Android',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
    { osCode: 'AND', osName: 'Android', osVersion: '14', clientCode: 'CM', clientName: 'Chrome Mobile', deviceName: 'smartphone' },
  ],
  [
    'Chrome OS',
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { osCode: 'COS', osName: 'Chrome OS', osVersion: '14541.0.0', clientCode: 'CH', deviceName: 'desktop' },
  ],
  [
    'Firefox on Ubuntu',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    { osCode: 'UBT', osName: 'Ubuntu', clientCode: 'FF' },
  ],
];

describe('the session fields of a User-Agent', () => {
  it.each(AGENTS)('%s', (_name, agent, expected) => {
    expect(deviceFields(agent)).toMatchObject(expected);
  });

  it('leaves every field empty for an agent it does not know, as Appwrite does for its UNKNOWN default', () => {
    for (const agent of ['', 'UNKNOWN']) expect(Object.values(deviceFields(agent)).every((v) => v === '')).toBe(true);
  });

  it('answers the same agent with the same fields twice', () => {
    const agent = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
    expect(deviceFields(agent)).toBe(deviceFields(agent));
    expect(deviceFields(agent).clientVersion).toBe('121.0');
  });
});
