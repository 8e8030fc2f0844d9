// A device's sync health, shared by the sync engine that reports it, the server that records it and
// the supervisor screen that shows it: unsent work as the device counts it, and failing pushes.
import { z } from 'zod';

/** Failing to send the oldest pending mutation this long, continuously, makes the queue "stuck". */
export const STUCK_AFTER_MS = 5 * 60_000;

/** Request header on push and pull: how many mutations the device holds unsent. */
export const PENDING_COUNT_HEADER = 'dockhand-pending';
/** Request header on push and pull: seconds since the oldest unsent mutation was made. */
export const PENDING_AGE_HEADER = 'dockhand-pending-age';

/** Request header on push and pull: the app version the device runs (its build). */
export const APP_VERSION_HEADER = 'dockhand-app-version';

/** What a device says it holds unsent. The age is relative, so the device's clock never matters. */
export interface PendingReport {
  pending: number;
  oldestAgeSeconds: number;
  /** The app version it runs, when it said (and said it readably). */
  appVersion?: string | null;
}

/** A version as builds spell it (`0.1.0+3f2c1ab`): nothing a screen could be made to show otherwise. */
const APP_VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}$/;

/** Plain decimal digits, at most 9 of them: a count or an age in seconds (over 30 years). */
const REPORT_NUMBER = /^\d{1,9}$/;

/**
 * The report in a request's headers, or null when it is missing or malformed. A report is advice,
 * never a reason to refuse the request it came with.
 */
export function readPendingReport(headers: Record<string, string | string[] | undefined>): PendingReport | null {
  const pending = headers[PENDING_COUNT_HEADER];
  const age = headers[PENDING_AGE_HEADER];
  if (typeof pending !== 'string' || typeof age !== 'string') return null;
  if (!REPORT_NUMBER.test(pending) || !REPORT_NUMBER.test(age)) return null;
  const count = Number(pending);
  const version = headers[APP_VERSION_HEADER];
  const report: PendingReport = { pending: count, oldestAgeSeconds: count === 0 ? 0 : Number(age) };
  return typeof version === 'string' && APP_VERSION.test(version) ? { ...report, appVersion: version } : report;
}

/** The headers that carry `report`. */
export function pendingReportHeaders(report: PendingReport): Record<string, string> {
  return {
    [PENDING_COUNT_HEADER]: String(report.pending),
    [PENDING_AGE_HEADER]: String(report.oldestAgeSeconds),
    ...(report.appVersion ? { [APP_VERSION_HEADER]: report.appVersion } : {}),
  };
}

/** One device in GET /api/supervisor/overview. Times are ISO strings from the server's clock. */
export const DeviceHealth = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  /** The display name of the user last signed in on it. */
  userName: z.string().nullable(),
  nextSeq: z.number().int(),
  /** The last push, or the last report with a pull. */
  lastSeenAt: z.string(),
  /** The app version it last reported running; null before it reported one. */
  appVersion: z.string().nullable().optional(),
  /** Unsent mutations as the device last reported them; null if it never reported. */
  pendingCount: z.number().int().nullable(),
  /** When its oldest unsent mutation was made, as reported; null with nothing unsent. */
  oldestPendingAt: z.string().nullable(),
  reportedAt: z.string().nullable(),
  /** The first failed push since the last one that went through; null while pushes go through. */
  pushFailingSince: z.string().nullable(),
  /** Failed pushes since then. */
  pushFailures: z.number().int(),
  /** The last failed push's HTTP status and error code (never its message). */
  lastPushError: z.object({ status: z.number().int(), code: z.string() }).nullable(),
  /** Pushes failing, or unsent work as old as STUCK_AFTER_MS: someone must look at this device. */
  stuck: z.boolean(),
});
export type DeviceHealth = z.infer<typeof DeviceHealth>;
