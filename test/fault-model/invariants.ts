// What must hold once a run's network is healed and every device has synced to the end:
// exactly-once (one stored result per confirmed mutation, its ledger rows matching its rule),
// the ledger equal to the balances and never negative, and every device's view equal to the
// server's rows in its scope, with an empty outbox and each rejection shown to its user.
import { SYNCED_TABLES } from '../../src/storage/db';
import { allRows } from '../../src/storage/rows';
import type { Db } from '../../server/db/index';
import type { Confirmed, SimDevice } from './device-host';

/**
 * Rejections the rules give these operations when another device got there first. Anything else
 * (a transient fault stored as a result, an internal error) is a defect.
 */
const BUSINESS_CODES = new Set(['INSUFFICIENT_STOCK', 'OVERPICK', 'LINE_CLOSED', 'OVER_RECEIPT', 'DOCUMENT_CLOSED']);

interface StoredResult {
  device_id: string;
  seq: number;
  mutation_id: string;
  status: 'applied' | 'rejected';
  code: string | null;
  message: string | null;
}

interface LedgerSum {
  mutation_id: string;
  rows: number;
  total: number;
  taken: number;
}

/** JSON with object keys sorted, so equal rows print equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

export interface CheckContext {
  db: Db;
  devices: readonly SimDevice[];
  deviceIds: readonly string[];
  confirmed: readonly Confirmed[];
}

/** Every violation found, as sentences; empty when the run upheld them all. */
export async function checkInvariants(context: CheckContext): Promise<string[]> {
  const violations: string[] = [];
  const results = await checkExactlyOnce(context, violations);
  await checkLedger(context, results, violations);
  for (const device of context.devices) await checkDevice(context, device, results, violations);
  return violations;
}

async function checkExactlyOnce({ db, deviceIds, confirmed }: CheckContext, violations: string[]): Promise<Map<string, StoredResult>> {
  const { rows } = await db.query<StoredResult>(
    'select device_id, seq::int as seq, mutation_id::text as mutation_id, status, code, message from mutation_results order by device_id, seq',
  );
  const byId = new Map<string, StoredResult[]>();
  for (const row of rows) byId.set(row.mutation_id, [...(byId.get(row.mutation_id) ?? []), row]);
  const confirmedIds = new Set<string>();
  for (const mutation of confirmed) {
    confirmedIds.add(mutation.mutationId);
    const stored = byId.get(mutation.mutationId) ?? [];
    const label = `d${mutation.device} seq ${mutation.seq} (${mutation.type} ${mutation.mutationId})`;
    if (stored.length === 0) {
      violations.push(`${label}: confirmed on the device but has no result on the server (lost)`);
      continue;
    }
    if (stored.length > 1) violations.push(`${label}: ${stored.length} results on the server`);
    const result = stored[0]!;
    if (result.device_id !== deviceIds[mutation.device] || result.seq !== mutation.seq) {
      violations.push(`${label}: stored under device ${result.device_id} seq ${result.seq}`);
    }
    if (result.status === 'rejected') {
      if (!result.code || !result.message) violations.push(`${label}: rejected without a stored code and message`);
      else if (!BUSINESS_CODES.has(result.code)) violations.push(`${label}: rejected as ${result.code} (${result.message}), not a business rule's refusal`);
    } else if (result.status !== 'applied') {
      violations.push(`${label}: stored with status ${String(result.status)}`);
    }
  }
  for (const row of rows) {
    if (!confirmedIds.has(row.mutation_id)) violations.push(`server holds a result for ${row.device_id} seq ${row.seq} (${row.mutation_id}) that no device confirmed`);
  }
  return new Map(rows.map((row) => [row.mutation_id, row]));
}

async function checkLedger({ db, confirmed }: CheckContext, results: ReadonlyMap<string, StoredResult>, violations: string[]): Promise<void> {
  const { rows: unbalanced } = await db.query<{ id: string; qty: number | null; total: number | null }>(
    `select coalesce(s.id, m.stock_id) as id, s.qty, m.total from stock s
     full join (select stock_id, sum(delta)::int as total from stock_movements group by stock_id) m on m.stock_id = s.id
     where coalesce(s.qty, 0) <> coalesce(m.total, 0) or s.qty < 0 or m.total < 0`,
  );
  for (const row of unbalanced) violations.push(`stock ${row.id}: balance ${row.qty ?? 'none'}, ledger sums to ${row.total ?? 'nothing'}`);

  const { rows: sums } = await db.query<LedgerSum>(
    `select mutation_id::text as mutation_id, count(*)::int as rows, sum(delta)::int as total,
       sum(case when delta < 0 then -delta else 0 end)::int as taken
     from stock_movements where mutation_id is not null group by mutation_id`,
  );
  const ledger = new Map(sums.map((sum) => [sum.mutation_id, sum]));
  for (const mutation of confirmed) {
    const result = results.get(mutation.mutationId);
    const moved = ledger.get(mutation.mutationId);
    const label = `d${mutation.device} seq ${mutation.seq} (${mutation.type} ${mutation.mutationId})`;
    if (!result) continue;
    if (result.status === 'rejected') {
      if (moved) violations.push(`${label}: rejected, yet ${moved.rows} ledger rows carry its id`);
      continue;
    }
    const qty = Number(mutation.args['qty']);
    // A pick or a move takes qty from one balance and puts it on another; a receipt adds qty.
    const expected = mutation.type === 'receive' ? { rows: 1, total: qty, taken: 0 } : { rows: 2, total: 0, taken: qty };
    if (!moved || moved.rows !== expected.rows || moved.total !== expected.total || moved.taken !== expected.taken) {
      violations.push(`${label}: applied, ledger has ${moved ? `${moved.rows} rows summing to ${moved.total}, taking ${moved.taken}` : 'no rows'}; expected ${expected.rows} rows summing to ${expected.total}, taking ${expected.taken}`);
    }
  }
  for (const id of ledger.keys()) {
    if (!results.has(id)) violations.push(`ledger rows carry mutation ${id}, which has no stored result`);
  }
}

/** The rows the server holds now that a user of `scope` may see, by `table/id`. */
async function serverView(db: Db, scope: readonly string[] | null): Promise<Map<string, string>> {
  const { rows } = await db.query<{ tbl: string; id: string; row: Record<string, unknown> }>('select tbl, id, row from sync_rows where not deleted');
  const view = new Map<string, string>();
  for (const { tbl, id, row } of rows) {
    const owner = tbl === 'owners' ? row['id'] : (row['ownerId'] ?? null);
    if (scope === null || owner === null || scope.includes(owner as string)) view.set(`${tbl}/${id}`, canonical(row));
  }
  return view;
}

async function checkDevice(context: CheckContext, device: SimDevice, results: ReadonlyMap<string, StoredResult>, violations: string[]): Promise<void> {
  const label = `device d${device.index}`;
  const waiting = await device.db.outbox.toArray();
  for (const entry of waiting) violations.push(`${label}: seq ${entry.seq} (${entry.type}) still in the outbox as ${entry.status} after the final sync`);
  // What the worker sees: nothing failing, nothing said to be unsent, no sign-in asked for.
  const { lastError, notSent, needsSignIn } = device.status.getState();
  if (lastError !== null || notSent !== null || needsSignIn) {
    violations.push(`${label}: after the final sync the status still shows ${JSON.stringify({ lastError, notSent, needsSignIn })}`);
  }

  const local = new Map<string, string>();
  for (const table of SYNCED_TABLES) {
    for (const row of await allRows(device.db, table)) local.set(`${table}/${row.id}`, canonical(row));
  }
  const server = await serverView(context.db, device.scope);
  for (const [key, row] of server) {
    const mine = local.get(key);
    if (mine === undefined) violations.push(`${label}: missing ${key}`);
    else if (mine !== row) violations.push(`${label}: ${key} is ${mine} on the device, ${row} on the server`);
  }
  for (const key of local.keys()) if (!server.has(key)) violations.push(`${label}: holds ${key}, which the server does not have in its scope`);

  // Each of this device's rejections is under "Needs attention" with the server's code; nothing else is.
  const problems = new Map((await device.db.problems.toArray()).map((problem) => [problem.mutationId, problem]));
  for (const mutation of context.confirmed.filter((m) => m.device === device.index)) {
    const result = results.get(mutation.mutationId);
    const problem = problems.get(mutation.mutationId);
    if (result?.status === 'rejected' && problem?.rejection.code !== result.code) {
      violations.push(`${label}: seq ${mutation.seq} was rejected (${result.code}) but the device shows ${problem ? problem.rejection.code : 'no problem'}`);
    }
    if (result?.status === 'applied' && problem) violations.push(`${label}: seq ${mutation.seq} was applied but the device lists it as a problem`);
  }
}
