// The owner boundary of every rule: `applyMutation` hands each rule a Reader that sees only the
// actor's owners, so another owner's row reads as absent and is refused by the rule's own "not
// found" path, exactly as an id that does not exist. No rule can name another owner's goods.
import type { AnyRow, PickLine, RowOf, StockRow, TableName } from '../entities';
import { canSeeOwner } from './access';
import type { Actor, Reader } from './types';

/** The owner a row belongs to, or null for warehouse-wide rows (locations). */
function ownerOf(table: TableName, row: AnyRow): string | null {
  if (table === 'owners') return row.id;
  return 'ownerId' in row ? row.ownerId : null;
}

/** `reader` as `actor` may see it; the reader itself when the actor sees every owner. */
export function ownerScopedReader(reader: Reader, actor: Actor): Reader {
  if (actor.ownerIds === null) return reader;
  const visible = (table: TableName, row: AnyRow): boolean => {
    const owner = ownerOf(table, row);
    return owner === null || canSeeOwner(actor, owner);
  };
  return {
    async get<T extends TableName>(table: T, id: string): Promise<RowOf<T> | undefined> {
      const row = await reader.get(table, id);
      return row && visible(table, row) ? row : undefined;
    },
    async children(table, parentId) {
      return (await reader.children(table, parentId)).filter((row) => visible(table, row));
    },
    async stock(query): Promise<StockRow[]> {
      return (await reader.stock(query)).filter((row) => visible('stock', row));
    },
    // Warehouse-wide on purpose: what a bin holds counts every owner's units (capacity, what an
    // LPN leaves behind). Rules use these rows for counts only and never name them in a message.
    stockAt: (locationId) => reader.stockAt(locationId),
    async pickLinesOfOrder(orderId): Promise<PickLine[]> {
      return (await reader.pickLinesOfOrder(orderId)).filter((row) => visible('pickLines', row));
    },
    async openPickLinesAt(locationId, productId): Promise<PickLine[]> {
      return (await reader.openPickLinesAt(locationId, productId)).filter((row) => visible('pickLines', row));
    },
    locationsOfType: (type) => reader.locationsOfType(type),
  };
}
