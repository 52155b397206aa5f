import { describe, expect, it } from 'vitest';
import { isEmailAddress } from './email-address.js';

/**
 * PHP's `filter_var($value, FILTER_VALIDATE_EMAIL)` without flags (ext/filter/logical_filters.c, the regular
 * expression of php_filter_validate_email, case-insensitive), which Appwrite's Email validator asks
 * (src/Appwrite/Network/Validator/Email.php at 1.5.0).
 */
describe('email addresses as FILTER_VALIDATE_EMAIL reads them', () => {
  const label = (n: number, c = 'a'): string => c.repeat(n);
  const expectEach = (emails: string[], taken: boolean): void => {
    for (const email of emails) expect(isEmailAddress(email), email).toBe(taken);
  };

  it('takes at most 254 characters in all and 64 before the @', () => {
    const domain189 = `${label(63)}.${label(63, 'b')}.${label(61, 'c')}`;
    expect(isEmailAddress(`${label(64, 'x')}@${domain189}`)).toBe(true);
    expect(isEmailAddress(`${label(64, 'x')}@${domain189}d`)).toBe(false);
    expect(isEmailAddress(`${label(64, 'x')}@example.com`)).toBe(true);
    expect(isEmailAddress(`${label(65, 'x')}@example.com`)).toBe(false);
    expect(isEmailAddress('a@example.com')).toBe(true);
    expect(isEmailAddress('@example.com')).toBe(false);
    expect(isEmailAddress('')).toBe(false);
    // No @ at all: what would be the local part is no address either.
    expect(isEmailAddress('ab.cd')).toBe(false);
  });

  it('takes dot-separated atoms of RFC 5322 atext in any case, and refuses empty words and other characters', () => {
    expect(isEmailAddress("!#$%&'*+-/=?^_`{|}~@example.com")).toBe(true);
    expect(isEmailAddress('Ada.B.Lovelace@Example.COM')).toBe(true);
    expectEach(['ada.@example.com', 'a..b@example.com', '.a@example.com', 'a(b)@example.com', 'a,b@example.com', 'a@b@example.com', 'é@example.com'], false);
  });

  it('takes quoted words of printable ASCII but a space, with escaped pairs, mixed with atoms', () => {
    expect(isEmailAddress('"a.b"@example.com')).toBe(true);
    expect(isEmailAddress('"a@b"@example.com')).toBe(true);
    expect(isEmailAddress('"a\\"b"@example.com')).toBe(true);
    expect(isEmailAddress('"a\\ b"@example.com')).toBe(true);
    expect(isEmailAddress('a."b".c@example.com')).toBe(true);
    expect(isEmailAddress('""@example.com')).toBe(true);
    expect(isEmailAddress('"a\\ "@example.com')).toBe(true);
    // Only ASCII may be escaped.
    expect(isEmailAddress('"a\\é"@example.com')).toBe(false);
    expect(isEmailAddress('"\\é"@example.com')).toBe(false);
    expectEach(['"a b"@example.com', '"a"b"@example.com', '"a@example.com', 'a"b@example.com', '"a""b"@example.com', '"a\\"@example.com'], false);
  });

  it('takes two or more labels under 64 characters, the last starting with a letter or punycode, hyphens only inside', () => {
    expect(isEmailAddress(`a@${label(63)}.com`)).toBe(true);
    expect(isEmailAddress(`a@${label(64)}.com`)).toBe(false);
    expect(isEmailAddress(`a@example.${label(63)}`)).toBe(true);
    expect(isEmailAddress(`a@example.${label(64)}`)).toBe(false);
    expectEach(['a@b--c.example', 'a@xn--bcher-kva.example', 'a@example.xn--p1ai', 'a@example.c-om', 'a@example.c--om', 'a@1.example', 'a@a.b.c.d.e'], true);
    expectEach(
      [
        'a@localhost',
        'a@example.123',
        'a@example.1com',
        'a@-example.com',
        'a@example-.com',
        'a@example.com-',
        'a@example..com',
        'a@.example.com',
        'a@example.com.',
        'a@exa_mple.com',
      ],
      false,
    );
  });

  it('takes an IPv4 literal without leading zeros, and an IPv6 one after "IPv6:" in any case', () => {
    expectEach(['a@[192.0.2.1]', 'a@[0.0.0.0]', 'a@[255.255.255.255]', 'a@[IPv6:2001:db8::1]', 'a@[ipv6:::1]'], true);
    expectEach(
      [
        'a@[192.0.2.01]',
        'a@[01.0.2.1]',
        'a@[256.0.0.1]',
        'a@[1.2.3]',
        'a@[2001:db8::1]',
        'a@[IPv6:192.0.2.1x]',
        'a@[IPv6:zz::1]',
        'a@192.0.2.1]',
        'a@[192.0.2.1',
        'a@[192.0.2.1x',
        'a@[IPv6:fe80::1%eth0]',
      ],
      false,
    );
  });
});
