// Times and labels as the supervisor's panels write them.
import { clockTime } from '../../ui/sync-status';

/** Whole minutes between an ISO time and `now`, as "6 min" or "2 h 5 min". */
export function ago(fromIso: string, now: number): string {
  return duration(Math.max(0, now - Date.parse(fromIso)));
}

/** A span of milliseconds as "0 min", "47 min" or "2 h 5 min". */
export function duration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/** An ISO time as the clock on the wall reads it. */
export const at = (iso: string) => clockTime(Date.parse(iso));

/** A status or code as words: `in_progress` → "in progress". */
export const words = (code: string) => code.replaceAll('_', ' ').toLowerCase();
