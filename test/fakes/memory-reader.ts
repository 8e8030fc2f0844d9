// An in-memory Reader over plain rows, for unit tests of the rules and for integration tests
// that need a device-like view. `apply` advances it with a rule's effects, so a test can chain
// mutations exactly as the device does with its view.
import { applyEffects, stateFromRows, type RowChange, type TableState } from '../../src/domain/apply-effects';
import type { LocationType, PickLine, RowOf, StockRow, TableName } from '../../src/domain/entities';
import type { Effect, Outcome, Reader, StockQuery } from '../../src/domain/rules/types';
import { sortFefo } from '../../src/domain/rules/stock';

export type Rows = { [T in TableName]?: readonly RowOf<T>[] };

type ChildTable = 'receiptLines' | 'orderLines' | 'pickLines' | 'returnLines' | 'cartons' | 'cartonLines';

/** The column that points a child row at its document. */
const PARENT_KEY = {
  receiptLines: 'receiptId',
  orderLines: 'orderId',
  pickLines: 'pickListId',
  returnLines: 'returnId',
  cartons: 'orderId',
  cartonLines: 'orderId',
} as const satisfies { [T in ChildTable]: keyof RowOf<T> };

/** A shallow frozen copy: a rule that writes into what it read fails the test instead of corrupting state. */
function frozen<R extends object>(row: R): R {
  return Object.freeze({ ...row });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class MemoryReader implements Reader {
  private current: TableState;
  /** Every call the rules made, e.g. to assert a rule read no more than it needed. */
  readonly calls: string[] = [];

  constructor(rows: Rows | TableState = {}) {
    const values = Object.values(rows) as unknown[];
    this.current = values.every((value) => value instanceof Map) ? (rows as TableState) : stateFromRows(rows as Rows);
  }

  get state(): TableState {
    return this.current;
  }

  /** Every row of a table, by id. */
  all<T extends TableName>(table: T): RowOf<T>[] {
    const rows = (this.current[table] ?? new Map()) as ReadonlyMap<string, RowOf<T>>;
    return [...rows.values()].sort((a, b) => compareText(a.id, b.id));
  }

  /** One row by id; throws when it is missing, so a test fails where its arrangement is wrong. */
  row<T extends TableName>(table: T, id: string): RowOf<T> {
    const row = (this.current[table] as ReadonlyMap<string, RowOf<T>> | undefined)?.get(id);
    if (!row) throw new Error(`No ${table} row ${id}`);
    return row;
  }

  /** Replaces or adds rows, for arranging a test. */
  put<T extends TableName>(table: T, ...rows: RowOf<T>[]): this {
    this.current = applyEffects(this.current, rows.map((row) => ({ kind: 'put' as const, table, row }))).state;
    return this;
  }

  /** Applies a rule's effects, as the device does to its view. */
  apply(effects: readonly Effect[]): RowChange[] {
    const applied = applyEffects(this.current, effects);
    this.current = applied.state;
    return applied.changes;
  }

  /** Applies an outcome's effects when it succeeded; answers it unchanged either way. */
  applyOutcome(outcome: Outcome): Outcome {
    if (outcome.ok) this.apply(outcome.effects);
    return outcome;
  }

  /** Units of a product at a location, any lot or LPN. */
  qty(locationId: string, productId: string, filter: Omit<StockQuery, 'productId' | 'locationId'> = {}): number {
    return this.match({ locationId, productId, ...filter }).reduce((sum, row) => sum + row.qty, 0);
  }

  async get<T extends TableName>(table: T, id: string): Promise<RowOf<T> | undefined> {
    this.calls.push(`get ${table} ${id}`);
    const row = (this.current[table] as ReadonlyMap<string, RowOf<T>> | undefined)?.get(id);
    return row ? frozen(row) : undefined;
  }

  async children<T extends ChildTable>(table: T, parentId: string): Promise<RowOf<T>[]> {
    this.calls.push(`children ${table} ${parentId}`);
    const key: string = PARENT_KEY[table];
    return this.all(table)
      .filter((row) => (row as Record<string, unknown>)[key] === parentId)
      .map(frozen);
  }

  async stock(query: StockQuery): Promise<StockRow[]> {
    this.calls.push(`stock ${query.locationId} ${query.productId}`);
    return this.match(query);
  }

  async stockAt(locationId: string): Promise<StockRow[]> {
    this.calls.push(`stockAt ${locationId}`);
    return sortFefo(this.all('stock').filter((row) => row.locationId === locationId)).map(frozen);
  }

  async pickLinesOfOrder(orderId: string): Promise<PickLine[]> {
    this.calls.push(`pickLinesOfOrder ${orderId}`);
    return this.all('pickLines')
      .filter((line) => line.orderId === orderId)
      .map(frozen);
  }

  async openPickLinesAt(locationId: string, productId: string): Promise<PickLine[]> {
    this.calls.push(`openPickLinesAt ${locationId} ${productId}`);
    const cancelled = new Set(this.all('pickLists').filter((list) => list.status === 'cancelled').map((list) => list.id));
    return this.all('pickLines')
      .filter((line) => line.locationId === locationId && line.productId === productId && line.status === 'open' && !cancelled.has(line.pickListId))
      .map(frozen);
  }

  async locationsOfType(type: LocationType): Promise<RowOf<'locations'>[]> {
    this.calls.push(`locationsOfType ${type}`);
    return this.all('locations')
      .filter((location) => location.type === type)
      .sort((a, b) => a.walkSeq - b.walkSeq || compareText(a.code, b.code))
      .map(frozen);
  }

  private match(query: StockQuery): StockRow[] {
    const rows = this.all('stock').filter(
      (row) =>
        row.qty > 0 &&
        row.productId === query.productId &&
        row.locationId === query.locationId &&
        (query.lot === undefined || row.lot === query.lot) &&
        (query.lpn === undefined || row.lpn === query.lpn),
    );
    return sortFefo(rows).map(frozen);
  }
}
