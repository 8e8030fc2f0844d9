// The rules' Reader as data: each method call as a `ReadCall` value with a key, so a layer over a
// Reader (shared reads in one transaction, reads replayed from the last submission) can remember,
// compare and repeat calls without one function per method.
import type { LocationType, PickLine, RowOf, StockRow, TableName } from '../domain/entities';
import type { Reader, StockQuery } from '../domain/rules/types';

export type ChildTable = Parameters<Reader['children']>[0];

/** One call a rule made on its Reader. */
export type ReadCall =
  | { kind: 'get'; table: TableName; id: string }
  | { kind: 'children'; table: ChildTable; parentId: string }
  | { kind: 'stock'; query: StockQuery }
  | { kind: 'stockAt'; locationId: string }
  | { kind: 'pickLinesOfOrder'; orderId: string }
  | { kind: 'openPickLinesAt'; locationId: string; productId: string }
  | { kind: 'locationsOfType'; type: LocationType };

/** What a call answers: a row (or none) for `get`, rows for the rest. */
export type Answer = RowOf<TableName> | undefined | RowOf<TableName>[];

/** A call as a map key; equal calls, equal keys. A stock query's `undefined` (any) and `null` (none) stay apart. */
export function callKey(call: ReadCall): string {
  switch (call.kind) {
    case 'get':
      return `get\u0000${call.table}\u0000${call.id}`;
    case 'children':
      return `children\u0000${call.table}\u0000${call.parentId}`;
    case 'stock': {
      const part = (value: string | null | undefined) => (value === undefined ? '*' : JSON.stringify(value));
      return ['stock', call.query.productId, call.query.locationId, part(call.query.lot), part(call.query.lpn)].join('\u0000');
    }
    case 'stockAt':
      return `stockAt\u0000${call.locationId}`;
    case 'pickLinesOfOrder':
      return `pickLinesOfOrder\u0000${call.orderId}`;
    case 'openPickLinesAt':
      return `openPickLinesAt\u0000${call.locationId}\u0000${call.productId}`;
    case 'locationsOfType':
      return `locationsOfType\u0000${call.type}`;
  }
}

/** The table whose rows a call answers. */
export function tableOf(call: ReadCall): TableName {
  switch (call.kind) {
    case 'get':
    case 'children':
      return call.table;
    case 'stock':
    case 'stockAt':
      return 'stock';
    case 'pickLinesOfOrder':
    case 'openPickLinesAt':
      return 'pickLines';
    case 'locationsOfType':
      return 'locations';
  }
}

/** The Reader method a call is, made on `reader`. */
export function perform(reader: Reader, call: ReadCall): Promise<Answer> {
  switch (call.kind) {
    case 'get':
      return reader.get(call.table, call.id);
    case 'children':
      return reader.children(call.table, call.parentId);
    case 'stock':
      return reader.stock(call.query);
    case 'stockAt':
      return reader.stockAt(call.locationId);
    case 'pickLinesOfOrder':
      return reader.pickLinesOfOrder(call.orderId);
    case 'openPickLinesAt':
      return reader.openPickLinesAt(call.locationId, call.productId);
    case 'locationsOfType':
      return reader.locationsOfType(call.type);
  }
}

/** A Reader made of one function taking the call. */
export function readerOf(read: (call: ReadCall) => Promise<Answer>): Reader {
  return {
    get: (table, id) => read({ kind: 'get', table, id }) as never,
    children: (table, parentId) => read({ kind: 'children', table, parentId }) as never,
    stock: (query) => read({ kind: 'stock', query }) as Promise<StockRow[]>,
    stockAt: (locationId) => read({ kind: 'stockAt', locationId }) as Promise<StockRow[]>,
    pickLinesOfOrder: (orderId) => read({ kind: 'pickLinesOfOrder', orderId }) as Promise<PickLine[]>,
    openPickLinesAt: (locationId, productId) => read({ kind: 'openPickLinesAt', locationId, productId }) as Promise<PickLine[]>,
    locationsOfType: (type) => read({ kind: 'locationsOfType', type }) as Promise<RowOf<'locations'>[]>,
  };
}
