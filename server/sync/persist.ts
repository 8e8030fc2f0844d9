// Writes a rule's effects: stock balances with their ledger rows, and replaced document rows,
// each published to the sync feed in the same transaction. Each effect is one statement (a
// balance, its ledger row and its feed entry together), because a push's cost is its round trips.
import { stockId, type Effect, type StockEffect } from '../../src/domain';
import type { Queryable } from '../db/index';
import { putRow } from '../db/tables';

/** A stock effect would take a balance below zero (or take from one that does not exist). */
export class NegativeBalanceError extends Error {
  constructor(readonly stockId: string) {
    super(`No stock at ${stockId} to take units from.`);
  }
}

export interface Provenance {
  mutationId: string | null;
  userId: string | null;
  deviceId: string | null;
  /** What moved the stock: the mutation type, or `seed`, `adjustment`… */
  reason: string;
}

export async function persistEffects(tx: Queryable, effects: readonly Effect[], provenance: Provenance): Promise<void> {
  for (const effect of effects) {
    if (effect.kind === 'stock') await applyStock(tx, effect, provenance);
    else await putRow(tx, effect.table, effect.row);
  }
}

/**
 * The ledger row and the feed entry that follow a changed balance `s`, the delta being parameter
 * `$p` and the mutation id, user, device and reason the four after it.
 */
const ledgerAndFeed = (p: number) => `
  ledger as (
    insert into stock_movements (stock_id, owner_id, location_id, product_id, lot, lpn, delta, mutation_id, user_id, device_id, reason)
    select s.id, s.owner_id, s.location_id, s.product_id, s.lot, s.lpn, $${p}, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4} from s
  ),
  feed as (
    insert into sync_rows (tbl, id, owner_id, deleted, row)
    select 'stock', s.id, s.owner_id, s.qty = 0,
      case when s.qty = 0 then null else jsonb_build_object('id', s.id, 'ownerId', s.owner_id, 'locationId', s.location_id,
        'productId', s.product_id, 'lot', s.lot, 'expiry', s.expiry, 'lpn', s.lpn, 'qty', s.qty) end
    from s
    on conflict (tbl, id) do update set owner_id = excluded.owner_id, deleted = excluded.deleted, row = excluded.row,
      xid = pg_current_xact_id(), seq = nextval('sync_seq')
  )
  select qty from s`;

/** Units arriving: the balance is created or grows. */
const ARRIVE = `with s as (
    insert into stock (id, owner_id, location_id, product_id, lot, expiry, lpn, qty) values ($1, $2, $3, $4, $5, $6, $7, $8)
    on conflict (id) do update set qty = stock.qty + excluded.qty, expiry = least(stock.expiry, excluded.expiry)
    returning *
  ),${ledgerAndFeed(8)}`;

/** Units leaving: only a balance that covers them changes (no row comes back otherwise). */
const LEAVE = `with s as (
    update stock set qty = qty + $2 where id = $1 and qty + $2 >= 0 returning *
  ),${ledgerAndFeed(2)}`;

async function applyStock(tx: Queryable, effect: StockEffect, provenance: Provenance): Promise<void> {
  if (effect.delta === 0) return;
  const id = stockId(effect.locationId, effect.productId, effect.lot, effect.lpn);
  const by = [provenance.mutationId, provenance.userId, provenance.deviceId, provenance.reason];
  const { rows } = effect.delta > 0
    ? await tx.query<{ qty: number }>(ARRIVE, [id, effect.ownerId, effect.locationId, effect.productId, effect.lot, effect.expiry, effect.lpn, effect.delta, ...by])
    : await tx.query<{ qty: number }>(LEAVE, [id, effect.delta, ...by]);
  if (!rows[0]) throw new NegativeBalanceError(id);
  // An empty balance is removed (the feed already carries its tombstone); its history stays in the ledger.
  if (rows[0].qty === 0) await tx.query('delete from stock where id = $1', [id]);
}
