// What the supervisor's floor screens read: pick lists with their progress, one list's lines and
// scans, and the pickers' rates over the shift. Every query is scoped by the caller's owners (null:
// every owner) and takes a fixed number of statements whatever the number of lists or pickers.
import {
  PICKER_BUCKET_MINUTES,
  shiftStart,
  type PickersAnswer,
  type PickListDetail,
  type PickListStatusFilter,
  type PickListSummary,
} from '../../src/domain/supervisor-floor';
import type { Queryable } from '../db/index';

/** Most pick lists one listing answers: the active ones first, then the newest. */
export const MAX_LISTS = 300;
/** Most scans one pick list's detail answers. */
export const MAX_SCANS = 2000;

/** The mutation types that scan on a pick line (their args carry `pickLineId`). */
export const PICK_SCAN_TYPES = ['pick', 'unpick', 'short-pick'] as const;
const SCAN_TYPES_SQL = `('pick', 'unpick', 'short-pick')`;

/** A quantity from a mutation's args as the device sent them: a rejected one may hold anything. */
const ARGS_QTY = `case when r.args->>'qty' ~ '^[0-9]{1,9}$' then (r.args->>'qty')::int end`;

const iso = (value: Date | string) => new Date(value).toISOString();

export interface ListFilter {
  ownerIds: readonly string[] | null;
  /** One owner's id, within `ownerIds`. */
  ownerId?: string | null;
  zone?: string | null;
  status?: PickListStatusFilter;
  id?: string;
}

interface ListRow {
  id: string; number: string; owner_id: string; owner_code: string; status: string; created_at: string; assigned_user_id: string | null; assigned_name: string | null;
  wave_id: string | null; wave_number: string | null; wave_status: string | null;
  zones: string[]; lines: number; lines_done: number; units: number; units_picked: number; units_short: number;
}

/** Pick lists with their progress: one aggregate statement, and one for who scanned each last. */
export async function listPickLists(db: Queryable, filter: ListFilter): Promise<PickListSummary[]> {
  const { rows } = await db.query<ListRow>(
    `select l.id, l.number, l.owner_id, ow.code as owner_code, l.status, l.created_at, l.assigned_user_id, au.display_name as assigned_name,
            w.id as wave_id, w.number as wave_number, w.status as wave_status,
            agg.zones, agg.lines, agg.lines_done, agg.units, agg.units_picked, agg.units_short
     from pick_lists l
     join owners ow on ow.id = l.owner_id
     left join waves w on w.id = l.wave_id
     left join users au on au.id = l.assigned_user_id
     cross join lateral (
       select coalesce(array_agg(distinct loc.zone order by loc.zone), '{}') as zones,
              count(*)::int as lines, count(*) filter (where p.status = 'done')::int as lines_done,
              coalesce(sum(p.qty), 0)::int as units, coalesce(sum(p.picked_qty), 0)::int as units_picked,
              coalesce(sum(p.short_qty), 0)::int as units_short
       from pick_lines p join locations loc on loc.id = p.location_id
       where p.pick_list_id = l.id and p.status <> 'cancelled'
     ) agg
     where ($1::text[] is null or l.owner_id = any($1::text[])) and ($2::text is null or l.owner_id = $2)
       and ($3::text is null or upper($3) = any(select upper(z) from unnest(agg.zones) z))
       and case $4::text when 'all' then true when 'active' then l.status in ('open', 'in_progress', 'held') else l.status = $4 end
       and ($5::text is null or l.id = $5)
     order by l.status in ('open', 'in_progress', 'held') desc, l.created_at desc, l.number desc
     limit $6`,
    [filter.ownerIds, filter.ownerId ?? null, filter.zone ?? null, filter.id ? 'all' : (filter.status ?? 'active'), filter.id ?? null, MAX_LISTS],
  );
  const scans = await db.query<{ pick_list_id: string; user_id: string; display_name: string | null; created_at: Date }>(
    `select distinct on (p.pick_list_id) p.pick_list_id, r.user_id, u.display_name, r.created_at
     from pick_lines p
     join mutation_results r on r.args->>'pickLineId' = p.id and r.type in ${SCAN_TYPES_SQL}
     left join users u on u.id = r.user_id
     where p.pick_list_id = any($1::text[])
     order by p.pick_list_id, r.created_at desc`,
    [rows.map((row) => row.id)],
  );
  const lastScan = new Map(scans.rows.map((s) => [s.pick_list_id, { userId: s.user_id, userName: s.display_name ?? s.user_id, at: iso(s.created_at) }]));
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    ownerId: r.owner_id,
    ownerCode: r.owner_code,
    status: r.status,
    wave: r.wave_id === null ? null : { id: r.wave_id, number: r.wave_number!, status: r.wave_status! },
    zones: r.zones,
    lines: r.lines,
    linesDone: r.lines_done,
    units: r.units,
    unitsPicked: r.units_picked,
    unitsShort: r.units_short,
    assignedUserId: r.assigned_user_id,
    assignedUserName: r.assigned_name,
    lastScan: lastScan.get(r.id) ?? null,
    createdAt: r.created_at,
  }));
}

/** One pick list in `ownerIds` with its lines and every scan on them; null when there is none. */
export async function pickListDetail(db: Queryable, ownerIds: readonly string[] | null, id: string): Promise<PickListDetail | null> {
  const [list] = await listPickLists(db, { ownerIds, id });
  if (!list) return null;
  const lines = await db.query<{ id: string; code: string; zone: string; sku: string; name: string; qty: number; picked_qty: number; short_qty: number; short_reason: string | null; status: string }>(
    `select p.id, loc.code, loc.zone, pr.sku, pr.name, p.qty, p.picked_qty, p.short_qty, p.short_reason, p.status
     from pick_lines p join locations loc on loc.id = p.location_id join products pr on pr.id = p.product_id
     where p.pick_list_id = $1 order by p.walk_seq, p.id`,
    [id],
  );
  const scans = await db.query<{ mutation_id: string; type: string; line_id: string; qty: number | null; user_id: string; display_name: string | null; device_id: string; created_at: Date; status: 'applied' | 'rejected'; code: string | null; message: string | null }>(
    `select r.mutation_id::text, r.type, r.args->>'pickLineId' as line_id, ${ARGS_QTY} as qty, r.user_id, u.display_name,
            r.device_id, r.created_at, r.status, r.code, r.message
     from pick_lines p
     join mutation_results r on r.args->>'pickLineId' = p.id and r.type in ${SCAN_TYPES_SQL}
     left join users u on u.id = r.user_id
     where p.pick_list_id = $1
     order by r.created_at, r.device_id, r.seq
     limit $2`,
    [id, MAX_SCANS],
  );
  return {
    list,
    lines: lines.rows.map((l) => ({
      id: l.id, binCode: l.code, zone: l.zone, sku: l.sku, productName: l.name, qty: l.qty, pickedQty: l.picked_qty, shortQty: l.short_qty, shortReason: l.short_reason, status: l.status,
    })),
    scans: scans.rows.map((s) => ({
      mutationId: s.mutation_id, type: s.type, pickLineId: s.line_id, qty: s.qty, userId: s.user_id, userName: s.display_name ?? s.user_id, deviceId: s.device_id,
      at: iso(s.created_at), status: s.status, code: s.code, message: s.message,
    })),
  };
}

/**
 * Each picker's rates over the last hour and the shift, where they are, how long they have been
 * idle, and units per bucket of the shift. Only applied scans on lines of `ownerIds` count; units
 * are picks less unpicks, lines those with a pick.
 */
export async function pickerStats(
  db: Queryable,
  scope: { ownerIds: readonly string[] | null; ownerId: string | null },
  clock: { timeZone: string; now: number },
): Promise<PickersAnswer> {
  const { now } = clock;
  const shift = shiftStart(clock.timeZone, now);
  const bucketMs = PICKER_BUCKET_MINUTES * 60_000;
  const buckets = Math.max(1, Math.ceil((now - shift.startedAt) / bucketMs));
  const scans = `
    select r.user_id, r.type, r.created_at, p.id as line_id, p.pick_list_id, coalesce(r.args->>'locationId', p.location_id) as location_id,
           case r.type when 'pick' then coalesce(${ARGS_QTY}, 0) when 'unpick' then -coalesce(${ARGS_QTY}, 0) else 0 end as units
    from mutation_results r join pick_lines p on p.id = r.args->>'pickLineId'
    where r.type in ${SCAN_TYPES_SQL} and r.status = 'applied' and r.created_at >= $1::timestamptz
      and ($2::text[] is null or p.owner_id = any($2::text[])) and ($3::text is null or p.owner_id = $3)`;
  const params = [new Date(shift.startedAt).toISOString(), scope.ownerIds, scope.ownerId];
  const totals = await db.query<{ user_id: string; display_name: string | null; units_hour: number; lines_hour: number; units: number; lines: number; first_at: Date; last_at: Date }>(
    `with scans as (${scans})
     select s.user_id, u.display_name,
            coalesce(sum(s.units) filter (where s.created_at >= $4::timestamptz), 0)::int as units_hour,
            count(distinct s.line_id) filter (where s.type = 'pick' and s.created_at >= $4::timestamptz)::int as lines_hour,
            coalesce(sum(s.units), 0)::int as units, count(distinct s.line_id) filter (where s.type = 'pick')::int as lines,
            min(s.created_at) as first_at, max(s.created_at) as last_at
     from scans s left join users u on u.id = s.user_id
     group by s.user_id, u.display_name order by u.display_name, s.user_id`,
    [...params, new Date(now - 3_600_000).toISOString()],
  );
  const series = await db.query<{ user_id: string; bucket: number; units: number }>(
    `with scans as (${scans})
     select user_id, floor(extract(epoch from (created_at - $1::timestamptz)) * 1000 / $4)::int as bucket, sum(units)::int as units
     from scans group by 1, 2`,
    [...params, bucketMs],
  );
  const last = await db.query<{ user_id: string; pick_list_id: string; number: string; list_status: string; code: string | null }>(
    `with scans as (${scans})
     select distinct on (s.user_id) s.user_id, s.pick_list_id, l.number, l.status as list_status, loc.code
     from scans s join pick_lists l on l.id = s.pick_list_id left join locations loc on loc.id = s.location_id
     order by s.user_id, s.created_at desc`,
    params,
  );
  const seriesOf = new Map<string, number[]>();
  for (const row of series.rows) {
    const values = seriesOf.get(row.user_id) ?? new Array<number>(buckets).fill(0);
    if (row.bucket >= 0 && row.bucket < buckets) values[row.bucket] = row.units;
    seriesOf.set(row.user_id, values);
  }
  const lastOf = new Map(last.rows.map((row) => [row.user_id, row]));
  /** A rate over at least one bucket, so a picker's first minute is not an hour's projection. */
  const perHour = (count: number, since: number) => Math.round((count / Math.max(now - since, bucketMs)) * 3_600_000 * 10) / 10;
  return {
    shift: { startedAt: new Date(shift.startedAt).toISOString(), basis: shift.basis, bucketMinutes: PICKER_BUCKET_MINUTES, now: new Date(now).toISOString() },
    pickers: totals.rows.map((t) => {
      const firstAt = new Date(t.first_at).getTime();
      const lastAt = new Date(t.last_at).getTime();
      const where = lastOf.get(t.user_id);
      const listOpen = where && where.list_status !== 'done' && where.list_status !== 'cancelled';
      return {
        userId: t.user_id,
        userName: t.display_name ?? t.user_id,
        lastHour: { units: t.units_hour, lines: t.lines_hour },
        shift: { units: t.units, lines: t.lines, unitsPerHour: perHour(t.units, firstAt), linesPerHour: perHour(t.lines, firstAt), firstScanAt: iso(t.first_at) },
        currentList: listOpen ? { id: where.pick_list_id, number: where.number } : null,
        lastBin: where?.code ?? null,
        lastScanAt: iso(t.last_at),
        idleSeconds: Math.max(0, Math.floor((now - lastAt) / 1000)),
        series: seriesOf.get(t.user_id) ?? new Array<number>(buckets).fill(0),
      };
    }),
  };
}
