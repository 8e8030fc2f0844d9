// Expiry dates as the floor enters them: `YYYY-MM-DD` typed, or `YYMMDD` as GS1 AI 17 encodes
// them. Either way the result is a real calendar date, or null.

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const GS1 = /^(\d{2})(\d{2})(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function format(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The century of a GS1 two-digit year, by the GS1 General Specifications sliding window: a year
 * more than 49 years ahead of `currentYear` is in the last century, more than 50 behind in the next.
 */
export function gs1Year(yy: number, currentYear: number): number {
  const century = Math.floor(currentYear / 100) * 100;
  const diff = yy - (currentYear % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/**
 * Parses an expiry to `YYYY-MM-DD`, or null when it is not a real date. In `YYMMDD` form day
 * `00` means the last day of the month (GS1); `today` (`YYYY-MM-DD`) anchors the century.
 */
export function parseExpiry(raw: string, today: string): string | null {
  const value = raw.trim();
  const iso = ISO.exec(value);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    return format(year, month, day);
  }
  const gs1 = GS1.exec(value);
  if (gs1) {
    const year = gs1Year(Number(gs1[1]), Number(today.slice(0, 4)));
    const month = Number(gs1[2]);
    if (month < 1 || month > 12) return null;
    const last = daysInMonth(year, month);
    const day = Number(gs1[3]) === 0 ? last : Number(gs1[3]);
    if (day > last) return null;
    return format(year, month, day);
  }
  return null;
}
