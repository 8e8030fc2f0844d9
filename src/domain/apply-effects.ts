// Applies a rule's effects to in-memory tables: how the device builds its view (snapshot plus
// pending mutations) and how tests follow a sequence of mutations. Pure: inputs are not changed.
import { stockId, type RowOf, type StockRow, type TableName } from './entities';
import type { Effect, StockEffect } from './rules/types';

/** Rows by id, per table; a missing table is empty. */
export type TableState = { [T in TableName]?: ReadonlyMap<string, RowOf<T>> };

/** One row written (`row`) or deleted (`row: null`), in the order the effects produced them. */
export interface RowChange {
  table: TableName;
  id: string;
  row: RowOf<TableName> | null;
}

export interface Applied {
  state: TableState;
  /** Each changed row once, with its final value: what a store has to write. */
  changes: RowChange[];
}

/**
 * The stock row after `effect`, or null when its balance reaches zero (zero rows are deleted, so
 * every stored row has a positive quantity). A negative balance means a rule let through what it
 * must refuse: that is a bug, and it throws rather than hide one.
 */
export function applyStockEffect(current: StockRow | undefined, effect: StockEffect): StockRow | null {
  const id = stockId(effect.locationId, effect.productId, effect.lot, effect.lpn);
  const qty = (current?.qty ?? 0) + effect.delta;
  if (qty < 0) throw new RangeError(`Stock ${id} would go negative (${current?.qty ?? 0} ${effect.delta >= 0 ? '+' : '-'} ${Math.abs(effect.delta)})`);
  if (qty === 0) return null;
  return {
    id,
    ownerId: effect.ownerId,
    locationId: effect.locationId,
    productId: effect.productId,
    lot: effect.lot,
    lpn: effect.lpn,
    // One row per lot holds one expiry; should two arrive, the earlier wins, so FEFO and the
    // expiry check err towards using and refusing units early rather than late.
    expiry: earliest(current?.expiry ?? null, effect.delta > 0 ? effect.expiry : null) ?? effect.expiry,
    qty,
  };
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

export function applyEffects(state: TableState, effects: readonly Effect[]): Applied {
  const tables = new Map<TableName, Map<string, RowOf<TableName>>>();
  const changed = new Map<string, RowChange>();
  const tableFor = (table: TableName): Map<string, RowOf<TableName>> => {
    let copy = tables.get(table);
    if (!copy) {
      copy = new Map<string, RowOf<TableName>>(state[table] ?? []);
      tables.set(table, copy);
    }
    return copy;
  };
  const record = (table: TableName, id: string, row: RowOf<TableName> | null): void => {
    const key = `${table}\u0000${id}`;
    // Re-inserting keeps `changes` in the order each row last changed.
    changed.delete(key);
    changed.set(key, { table, id, row });
  };

  for (const effect of effects) {
    if (effect.kind === 'stock') {
      const stock = tableFor('stock');
      const id = stockId(effect.locationId, effect.productId, effect.lot, effect.lpn);
      const next = applyStockEffect(stock.get(id) as StockRow | undefined, effect);
      if (next) stock.set(id, next);
      else stock.delete(id);
      record('stock', id, next);
    } else {
      tableFor(effect.table).set(effect.row.id, effect.row);
      record(effect.table, effect.row.id, effect.row);
    }
  }

  const next: Record<string, ReadonlyMap<string, RowOf<TableName>>> = { ...state };
  for (const [table, rows] of tables) next[table] = rows;
  return { state: next as TableState, changes: [...changed.values()] };
}

/** A state from plain row arrays, e.g. a pulled snapshot or a test fixture. */
export function stateFromRows(rows: { [T in TableName]?: readonly RowOf<T>[] }): TableState {
  const state: Record<string, ReadonlyMap<string, RowOf<TableName>>> = {};
  for (const [table, list] of Object.entries(rows) as [TableName, readonly RowOf<TableName>[]][]) {
    state[table] = new Map(list.map((row) => [row.id, row]));
  }
  return state as TableState;
}
