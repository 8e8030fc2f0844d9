// One warehouse clock: "today" for expiry rules is the calendar date in the warehouse's configured
// IANA time zone, computed the same way on the server and on the device.

/** The zone used when none is configured: the date every server used before zones existed. */
export const DEFAULT_WAREHOUSE_TIME_ZONE = 'UTC';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter of `YYYY-MM-DD` parts in `timeZone`; throws RangeError for a zone Intl does not know. */
function dateFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'gregory', numberingSystem: 'latn' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone name (or `UTC`) this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '' || timeZone !== timeZone.trim()) return false;
  try {
    dateFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date (`YYYY-MM-DD`) in `timeZone` at `instant`. */
export function todayIn(timeZone: string, instant: Date | number): string {
  const parts = dateFormatter(timeZone).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
}
