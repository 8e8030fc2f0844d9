// Streamed CSV exports for supervisors and admins: stock on hand and the stock ledger, for one
// of the caller's owners or all of them, read in keyset pages and written out as they are read.
// Pages are read one after another, not in one snapshot: rows changing during a long export
// may show as before or after the change.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../src/domain';
import { IsoDate } from '../../src/domain/entities';
import { EXPORT_PAGE_ROWS, keysetRows, sendCsv, type CsvColumnOut } from '../csv/write-csv';
import type { Db } from '../db/index';
import { authOf, requireUser } from './guard';
import { OwnerParam, ownerInScope } from './owner-param';

const Failure = z.object({ error: z.string(), message: z.string() });

interface StockLine {
  id: string;
  owner: string;
  sku: string;
  product: string;
  bin: string;
  zone: string;
  lot: string | null;
  expiry: string | null;
  lpn: string | null;
  qty: number;
}

const STOCK_COLUMNS: CsvColumnOut<StockLine>[] = [
  { header: 'owner', value: (r) => r.owner },
  { header: 'sku', value: (r) => r.sku },
  { header: 'product', value: (r) => r.product },
  { header: 'bin', value: (r) => r.bin },
  { header: 'zone', value: (r) => r.zone },
  { header: 'lot', value: (r) => r.lot },
  { header: 'expiry', value: (r) => r.expiry },
  { header: 'lpn', value: (r) => r.lpn },
  { header: 'qty', value: (r) => r.qty },
];

interface LedgerLine {
  id: number;
  /** The exact timestamp as PostgreSQL prints it: the keyset cursor, never rounded through a JS Date. */
  cursor_at: string;
  at: string;
  owner: string | null;
  sku: string | null;
  bin: string | null;
  lot: string | null;
  lpn: string | null;
  delta: number;
  reason: string;
  username: string | null;
  device_id: string | null;
  mutation_id: string | null;
}

const LEDGER_COLUMNS: CsvColumnOut<LedgerLine>[] = [
  { header: 'at', value: (r) => r.at },
  { header: 'owner', value: (r) => r.owner },
  { header: 'sku', value: (r) => r.sku },
  { header: 'bin', value: (r) => r.bin },
  { header: 'lot', value: (r) => r.lot },
  { header: 'lpn', value: (r) => r.lpn },
  { header: 'delta', value: (r) => r.delta },
  { header: 'reason', value: (r) => r.reason },
  { header: 'user', value: (r) => r.username },
  { header: 'device', value: (r) => r.device_id },
  { header: 'mutation_id', value: (r) => r.mutation_id },
];

/** A date (the warehouse's calendar day) or an ISO date-time with its offset. */
const TimeBound = z.union([IsoDate, z.iso.datetime({ offset: true })]);

/**
 * SQL for a time bound given as parameter `param`: a date is that day's start in the warehouse
 * time zone (parameter `tz`), or, as an upper bound, the next day's start, so `to` includes its day.
 */
const boundSql = (param: string, tz: string, upper: boolean) =>
  `case when ${param} ~ '^\\d{4}-\\d{2}-\\d{2}$' then ((${param}::date${upper ? ' + 1' : ''})::timestamp at time zone ${tz}) else ${param}::timestamptz end`;

/** The owner ids an export covers: the one asked for (within the caller's), or all of the caller's (null: every owner). */
async function exportOwners(db: Db, actor: Actor, owner: string | undefined): Promise<{ ids: readonly string[] | null; label: string }> {
  if (owner === undefined) return { ids: actor.ownerIds, label: 'all' };
  const found = await ownerInScope(db, actor, owner);
  return { ids: [found.id], label: found.code };
}

export async function registerExports(app: FastifyInstance, db: Db, options: { timeZone: string; today: () => string }): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireUser(db, ['supervisor', 'admin']);

  api.get('/api/export/stock.csv', {
    schema: {
      summary: 'Stock on hand as CSV (supervisor or admin): owner, sku, product, bin, zone, lot, expiry, lpn, qty',
      tags: ['export'],
      security: [{ bearer: [] }],
      produces: ['text/csv'],
      querystring: z.object({ owner: OwnerParam.optional().describe('An owner’s code or id; all of yours when absent') }),
      response: { 401: Failure, 403: Failure, 404: Failure },
    },
    onRequest,
  }, async (request, reply) => {
    const owners = await exportOwners(db, authOf(request).actor, request.query.owner);
    const rows = keysetRows<StockLine>(async (after) => (await db.query<StockLine>(
      `select s.id, o.code as owner, p.sku, p.name as product, l.code as bin, l.zone, s.lot, s.expiry, s.lpn, s.qty
       from stock s join owners o on o.id = s.owner_id join products p on p.id = s.product_id join locations l on l.id = s.location_id
       where s.qty > 0 and ($1::text[] is null or s.owner_id = any($1::text[])) and s.id > $2
       order by s.id limit $3`,
      [owners.ids, after?.id ?? '', EXPORT_PAGE_ROWS],
    )).rows);
    return sendCsv(reply, `stock-${owners.label}-${options.today()}.csv`, STOCK_COLUMNS, rows);
  });

  api.get('/api/export/ledger.csv', {
    schema: {
      summary: 'The stock ledger as CSV (supervisor or admin), oldest first: at, owner, sku, bin, lot, lpn, delta, reason, user, device, mutation_id',
      description: '`from` and `to` are dates (whole days in the warehouse time zone, both included) or ISO date-times (`to` excluded).',
      tags: ['export'],
      security: [{ bearer: [] }],
      produces: ['text/csv'],
      querystring: z.object({
        owner: OwnerParam.optional().describe('An owner’s code or id; all of yours when absent'),
        from: TimeBound.optional(),
        to: TimeBound.optional(),
      }),
      response: { 401: Failure, 403: Failure, 404: Failure },
    },
    onRequest,
  }, async (request, reply) => {
    const { from, to } = request.query;
    const owners = await exportOwners(db, authOf(request).actor, request.query.owner);
    const rows = keysetRows<LedgerLine>(async (after) => (await db.query<LedgerLine>(
      `select m.id, m.created_at::text as cursor_at,
         to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
         o.code as owner, p.sku, l.code as bin, m.lot, m.lpn, m.delta, m.reason, u.username, m.device_id, m.mutation_id::text as mutation_id
       from stock_movements m
         left join owners o on o.id = m.owner_id left join products p on p.id = m.product_id
         left join locations l on l.id = m.location_id left join users u on u.id = m.user_id
       where ($1::text[] is null or m.owner_id = any($1::text[]))
         and ($2::text is null or m.created_at >= ${boundSql('$2', '$4', false)})
         and ($3::text is null or m.created_at < ${boundSql('$3', '$4', true)})
         and (m.created_at, m.id) > ($5::timestamptz, $6::bigint)
       order by m.created_at, m.id limit $7`,
      [owners.ids, from ?? null, to ?? null, options.timeZone, after?.cursor_at ?? '-infinity', after?.id ?? 0, EXPORT_PAGE_ROWS],
    )).rows);
    return sendCsv(reply, `ledger-${owners.label}-${options.today()}.csv`, LEDGER_COLUMNS, rows);
  });
}
