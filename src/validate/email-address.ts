import { isIPv4, isIPv6 } from 'node:net';

/** Characters of an unquoted local-part word (RFC 5322 atext), ASCII only. */
const ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;
/** A quoted local-part word: printable ASCII and escaped pairs, no bare `"` or `\`. */
const QUOTED = /^"(?:[\x01-\x08\x0B\x0C\x0E-\x1F\x21\x23-\x5B\x5D-\x7F]|\\[\x00-\x7F])*"$/;
/**
 * A domain label that is not the last: letters, digits, inner hyphens. PHP's expression names `xn--` punycode
 * apart, which these already take (`xn`, then `--` and the rest).
 */
const LABEL = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/i;
/** The last label starts with a letter: no all-digit top-level domain. */
const TOP_LABEL = /^[a-z][a-z0-9]*(?:-+[a-z0-9]+)*$/i;

/**
 * True for what PHP's `filter_var($value, FILTER_VALIDATE_EMAIL)` accepts, which is what Appwrite's
 * Email validator asks (`src/Appwrite/Network/Validator/Email.php` at 1.5.0): ASCII only (no
 * `FILTER_FLAG_EMAIL_UNICODE`), at most 254 characters of which at most 64 before the `@`, a local part
 * of dot-separated atoms or quoted strings, and a domain of two or more labels (each under 64
 * characters, the last not all digits) or an address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`).
 */
export function isEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  // An empty local part fails as an empty word below.
  if (at === -1 || at > 64) return false;
  return isLocalPart(value.slice(0, at)) && isDomain(value.slice(at + 1));
}

function isLocalPart(local: string): boolean {
  // Quoted words may hold dots: split only outside quotes.
  const words: string[] = [];
  let word = '';
  let quoted = false;
  for (let i = 0; i < local.length; i++) {
    const c = local[i] as string;
    if (quoted && c === '\\') {
      word += local.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === '.' && !quoted) {
      words.push(word);
      word = '';
    } else {
      word += c;
    }
  }
  words.push(word);
  return !quoted && words.every((w) => ATOM.test(w) || QUOTED.test(w));
}

function isDomain(domain: string): boolean {
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const literal = domain.slice(1, -1);
    // Node's isIPv4 refuses leading zeros as PHP's expression does; its isIPv6 takes a zone (`%eth0`), PHP's does not.
    return literal.toLowerCase().startsWith('ipv6:') ? !literal.includes('%') && isIPv6(literal.slice(5)) : isIPv4(literal);
  }
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const top = labels.pop() as string;
  return labels.every((label) => label.length < 64 && LABEL.test(label)) && top.length < 64 && TOP_LABEL.test(top);
}
