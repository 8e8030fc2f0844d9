// Device sync health (docs/protocol.md "What the supervisor sees"): failing pushes and the unsent
// work devices report, noted on the devices row after the answer has gone, and listed per device.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readPendingReport, STUCK_AFTER_MS, type DeviceHealth, type PendingReport } from '../../src/domain/device-health';
import type { Db, Queryable } from '../db/index';
import { DEVICE_HEALTH_EVENT_SQL } from '../floor/floor-events';

/** An error code as the server's refusals spell them (UNAVAILABLE, SEQUENCE_GAP…). */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Longest error body read for its code; a refusal's body is far shorter. */
const MAX_ERROR_BODY = 16 * 1024;
/** A report that changes nothing is written again only this often (it still marks the device seen). */
const REPORT_REFRESH = '1 minute';

/** The error code of each failed push's answer, from `onSend` to `onResponse`. */
const answeredCodes = new WeakMap<FastifyRequest, string>();

function errorCodeOf(payload: unknown): string {
  if (typeof payload !== 'string' || payload.length > MAX_ERROR_BODY) return 'UNKNOWN';
  try {
    const code = (JSON.parse(payload) as { error?: unknown } | null)?.error;
    return typeof code === 'string' && ERROR_CODE.test(code) ? code : 'UNKNOWN';
  } catch {
    return 'UNKNOWN';
  }
}

/** Runs `note` after the answer has gone; a failure to note is logged, never the request's. */
async function afterAnswer(request: FastifyRequest, note: () => Promise<unknown>): Promise<void> {
  try {
    await note();
  } catch (error) {
    request.log.warn({ err: error }, 'could not note the device’s sync health');
  }
}

/**
 * Route hooks for POST /api/sync/push: a failed push (any answer but 2xx, from a signed-in device)
 * is counted on its device with its status and error code, and with the unsent work the device
 * reported. A push that goes through clears this in push's own devices upsert, so success costs
 * no extra query here.
 */
export function pushHealthHooks(db: Db) {
  return {
    onSend: async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (reply.statusCode >= 400 && request.auth) answeredCodes.set(request, errorCodeOf(payload));
      return payload;
    },
    onResponse: async (request: FastifyRequest, reply: FastifyReply) => {
      const code = answeredCodes.get(request);
      const deviceId = request.auth?.actor.deviceId;
      if (code === undefined || !deviceId) return;
      const report = readPendingReport(request.headers);
      await afterAnswer(request, () => recordPushFailure(db, deviceId, { status: reply.statusCode, code }, report));
    },
  };
}

/** Route hook for GET /api/sync/pull: notes the unsent work the device reported with it. */
export function pullHealthHook(db: Db) {
  return async (request: FastifyRequest) => {
    const deviceId = request.auth?.actor.deviceId;
    const report = readPendingReport(request.headers);
    if (!deviceId || !report) return;
    await afterAnswer(request, () => recordPendingReport(db, deviceId, report));
  };
}

/** SQL for the oldest unsent mutation's time in the server's clock, from a reported count and age. */
const oldestPending = (count: string, age: string) =>
  `case when ${count}::int = 0 then null else now() - ${age}::int * interval '1 second' end`;

/**
 * Around an update of device $1 (`changed as (update … ${HEALTH_RETURNING}`): the row before it,
 * and a live-feed event (server/floor) when its unsent count or failing state changed — a report
 * that only refreshes the same count tells the supervisors nothing.
 */
const HEALTH_BEFORE = 'with before as (select pending_count, push_failing_since from devices where id = $1)';
const HEALTH_RETURNING = `returning id, user_id, pending_count, push_failing_since),
  news as (${DEVICE_HEALTH_EVENT_SQL(`(select c.* from changed c, before b
    where c.pending_count is distinct from b.pending_count or (c.push_failing_since is null) <> (b.push_failing_since is null))`)})
  select 1`;

export async function recordPushFailure(
  db: Queryable,
  deviceId: string,
  failure: { status: number; code: string },
  report: PendingReport | null,
): Promise<void> {
  await db.query(
    `${HEALTH_BEFORE}, changed as (update devices set
       push_failing_since = coalesce(push_failing_since, now()),
       push_failures = least(push_failures, 2147483646) + 1,
       push_last_status = $2, push_last_error = $3, last_seen_at = now(),
       pending_count = coalesce($4::int, pending_count), app_version = coalesce($6, app_version),
       oldest_pending_at = case when $4::int is null then oldest_pending_at else ${oldestPending('$4', '$5')} end,
       reported_at = case when $4::int is null then reported_at else now() end
     where id = $1 ${HEALTH_RETURNING}`,
    [deviceId, failure.status, failure.code, report?.pending ?? null, report?.oldestAgeSeconds ?? 0, report?.appVersion ?? null],
  );
}

/**
 * Stores what the device holds unsent and marks it seen. Nothing unsent also ends a push failure:
 * there is nothing left to push. An unchanged report is written at most once per REPORT_REFRESH.
 */
export async function recordPendingReport(db: Queryable, deviceId: string, report: PendingReport): Promise<void> {
  const sent = '$2::int = 0';
  await db.query(
    `${HEALTH_BEFORE}, changed as (update devices set
       pending_count = $2, oldest_pending_at = ${oldestPending('$2', '$3')}, reported_at = now(), last_seen_at = now(),
       app_version = coalesce($4, app_version),
       push_failing_since = case when ${sent} then null else push_failing_since end,
       push_failures = case when ${sent} then 0 else push_failures end,
       push_last_status = case when ${sent} then null else push_last_status end,
       push_last_error = case when ${sent} then null else push_last_error end
     where id = $1 and (pending_count is distinct from $2 or reported_at is null or ($4::text is not null and app_version is distinct from $4)
       or reported_at < now() - interval '${REPORT_REFRESH}' or (${sent} and push_failing_since is not null)) ${HEALTH_RETURNING}`,
    [deviceId, report.pending, report.oldestAgeSeconds, report.appVersion ?? null],
  );
}

interface DeviceRow {
  id: string;
  user_id: string | null;
  display_name: string | null;
  next_seq: number | string;
  last_seen_at: Date;
  app_version: string | null;
  pending_count: number | null;
  oldest_pending_at: Date | null;
  reported_at: Date | null;
  push_failing_since: Date | null;
  push_failures: number;
  push_last_status: number | null;
  push_last_error: string | null;
  stuck: boolean;
}

const iso = (value: Date | null): string | null => (value === null ? null : new Date(value).toISOString());

/** Devices listed per overview at most: stuck ones first, then those holding unsent work. */
export const MAX_DEVICES_LISTED = 200;

/**
 * The devices a supervisor of `ownerIds` (null: every owner) may see, with their sync health:
 * those of users limited to owners within `ownerIds`. Stuck: a push refused as such (a 4xx that
 * will be refused again), pushes failing for STUCK_AFTER_MS, or unsent work that old when the
 * device last reported (its reports come after each push attempt). `only`: that one device, if visible.
 */
export async function listDeviceHealth(db: Queryable, ownerIds: readonly string[] | null, only?: { deviceId: string }): Promise<DeviceHealth[]> {
  const { rows } = await db.query<DeviceRow>(
    `select d.id, d.user_id, u.display_name, d.next_seq, d.last_seen_at, d.app_version, d.pending_count, d.oldest_pending_at,
            d.reported_at, d.push_failing_since, d.push_failures, d.push_last_status, d.push_last_error,
            coalesce(
              d.push_failing_since <= now() - $2::int * interval '1 millisecond'
              or (d.push_failing_since is not null and d.push_last_status between 400 and 499 and d.push_last_status not in (401, 408, 429))
              or (d.pending_count > 0 and d.oldest_pending_at <= d.reported_at - $2::int * interval '1 millisecond'),
              false) as stuck
     from devices d left join users u on u.id = d.user_id
     where ($1::text[] is null or (u.owner_ids is not null and u.owner_ids <@ $1::text[])) and ($4::text is null or d.id = $4)
     order by stuck desc, coalesce(d.pending_count, 0) > 0 desc, d.last_seen_at desc, d.id
     limit $3`,
    [ownerIds, STUCK_AFTER_MS, MAX_DEVICES_LISTED, only?.deviceId ?? null],
  );
  return rows.map(
    (r): DeviceHealth => ({
      id: r.id,
      userId: r.user_id,
      userName: r.display_name,
      nextSeq: Number(r.next_seq),
      lastSeenAt: new Date(r.last_seen_at).toISOString(),
      appVersion: r.app_version,
      pendingCount: r.pending_count,
      oldestPendingAt: iso(r.oldest_pending_at),
      reportedAt: iso(r.reported_at),
      pushFailingSince: iso(r.push_failing_since),
      pushFailures: r.push_failures,
      lastPushError: r.push_last_status === null || r.push_last_error === null ? null : { status: r.push_last_status, code: r.push_last_error },
      stuck: r.stuck,
    }),
  );
}
