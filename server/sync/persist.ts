// Writes a rule's effects: stock balances with their ledger rows, and replaced document rows,
// each published to the sync feed in the same transaction.
import { stockId, type Effect, type StockEffect } from '../../src/domain';
import type { Queryable } from '../db/index';
import { fromSql, publish, putRow } from '../db/tables';

/** A stock effect took units from a balance that does not exist. */
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

/** Changes one balance and appends the movement; a balance below zero fails the `qty >= 0` check. */
async function applyStock(tx: Queryable, effect: StockEffect, provenance: Provenance): Promise<void> {
  if (effect.delta === 0) return;
  const id = stockId(effect.locationId, effect.productId, effect.lot, effect.lpn);
  // Units arriving may create the balance; units leaving must find one that covers them (an
  // insert of a negative row would trip the check before any upsert could merge it).
  const { rows } = effect.delta > 0
    ? await tx.query(
      `insert into stock (id, owner_id, location_id, product_id, lot, expiry, lpn, qty)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (id) do update set qty = stock.qty + excluded.qty, expiry = least(stock.expiry, excluded.expiry)
       returning *`,
      [id, effect.ownerId, effect.locationId, effect.productId, effect.lot, effect.expiry, effect.lpn, effect.delta],
    )
    : await tx.query('update stock set qty = qty + $2 where id = $1 returning *', [id, effect.delta]);
  if (!rows[0]) throw new NegativeBalanceError(id);
  await tx.query(
    `insert into stock_movements (stock_id, owner_id, location_id, product_id, lot, lpn, delta, mutation_id, user_id, device_id, reason)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [id, effect.ownerId, effect.locationId, effect.productId, effect.lot, effect.lpn, effect.delta,
      provenance.mutationId, provenance.userId, provenance.deviceId, provenance.reason],
  );
  const row = fromSql('stock', rows[0]!);
  if (row.qty === 0) {
    // An empty balance is removed; its history stays in the ledger.
    await tx.query('delete from stock where id = $1', [id]);
    await publish(tx, 'stock', id, row.ownerId, null);
  } else {
    await publish(tx, 'stock', id, row.ownerId, row);
  }
}
