/**
 * Reads a date the way Appwrite's datetime validator and attributes do (PHP's `new \DateTime($value)` in a
 * server whose zone is UTC): `Y-M-D` with an optional time, then `Z`, an offset, `UTC`/`GMT` or a zone name
 * (`1975-06-12 14:12:55 America/New_York`, e2e DatabasesBase.php:1547 and 2184 at 1.5.0). PHP takes a day 0
 * as the last day of the month before (`2050-12-0`, DatabasesBase.php:4508). Other texts are left to the
 * JavaScript parser. Null when the text is not a date.
 */
export function parsePhpDatetime(text: string): Date | null {
  const match = DATE.exec(text.trim());
  if (!match) {
    const parsed = Date.parse(text);
    return Number.isNaN(parsed) ? null : new Date(parsed);
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = ''] = match;
  const wall = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.padEnd(3, '0').slice(0, 3)),
  );
  if (Number(month) < 1 || Number(month) > 12 || Number(day) > 31 || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  const offset = zoneOffset(zone, wall);
  return offset === null ? null : new Date(wall - offset);
}

const DATE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*)?$/;

/** The zone's offset from UTC in milliseconds at the wall-clock time `wall` (read as if UTC), or null for an unknown zone. */
function zoneOffset(zone: string, wall: number): number | null {
  if (zone === '' || zone === 'Z' || /^(UTC|GMT)$/i.test(zone)) return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric) return (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3])) * 60_000;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  // The offset at the instant the wall time names: found from a first guess, then once more at the corrected instant.
  const at = (instant: number): number => {
    const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
    return Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(instant / 1000) * 1000;
  };
  const first = at(wall);
  return at(wall - first);
}
