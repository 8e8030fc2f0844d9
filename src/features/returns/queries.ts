// What the returns screens read from the device's view, as plain reads (for commands and tests)
// and live queries (for screens). Everything here reads IndexedDB only, so returns work offline.
import { useLiveQuery } from 'dexie-react-hooks';
import type { ReturnView, ReturnsProduct } from '../../domain/workflows/returns';
import type { DockhandDb } from '../../storage/db';
import { readSession } from '../../storage/session-repo';

export interface ReturnListItem {
  id: string;
  rma: string;
  orderNumber: string | null;
  authorised: number;
  received: number;
}

/** The open returns of the owners the user works for (`ownerIds` null: all), by RMA. */
export async function readOpenReturns(db: DockhandDb, ownerIds: readonly string[] | null): Promise<ReturnListItem[]> {
  return db.transaction('r', [db.returns, db.returnLines, db.orders], async () => {
    const returns = (await db.returns.where('status').equals('open').toArray())
      .filter((ret) => ownerIds === null || ownerIds.includes(ret.ownerId))
      .sort((a, b) => (a.rma < b.rma ? -1 : a.rma > b.rma ? 1 : 0));
    const lines = await db.returnLines.where('returnId').anyOf(returns.map((ret) => ret.id)).toArray();
    const orders = await db.orders.bulkGet(returns.map((ret) => ret.orderId ?? ''));
    return returns.map((ret, index) => {
      const own = lines.filter((line) => line.returnId === ret.id);
      return {
        id: ret.id,
        rma: ret.rma,
        orderNumber: orders[index]?.number ?? null,
        authorised: own.reduce((sum, line) => sum + line.authorisedQty, 0),
        received: own.reduce((sum, line) => sum + line.receivedQty, 0),
      };
    });
  });
}

/** One return as the returns screen works on it, or null when the device has no such return. */
export async function readReturnView(db: DockhandDb, returnId: string): Promise<ReturnView | null> {
  return db.transaction('r', [db.returns, db.returnLines, db.orders, db.products, db.locations, db.stock], async () => {
    const ret = await db.returns.get(returnId);
    if (!ret) return null;
    const lines = (await db.returnLines.where('returnId').equals(returnId).toArray()).sort((a, b) => (a.id < b.id ? -1 : 1));
    const order = ret.orderId ? await db.orders.get(ret.orderId) : undefined;
    const products: Record<string, ReturnsProduct> = {};
    for (const product of await db.products.bulkGet(lines.map((line) => line.productId))) {
      if (product) {
        const { id, sku, name, zone, pickFaceLocationId, lotTracked } = product;
        products[id] = { id, sku, name, zone, pickFaceLocationId, lotTracked };
      }
    }
    const locations = await db.locations.toArray();
    const stock = (await db.stock.toArray()).filter((row) => row.qty > 0);
    return { ret, orderNumber: order?.number ?? null, lines, products, locations, stock };
  });
}

/** The signed-in user's open returns, live (none when nobody is signed in); undefined while loading. */
export function useOpenReturns(db: DockhandDb): ReturnListItem[] | undefined {
  return useLiveQuery(async () => {
    const session = await readSession(db);
    return session ? readOpenReturns(db, session.user.ownerIds) : [];
  }, [db]);
}

/** One return's view, live: undefined while loading, null when the device has no such return. */
export function useReturnView(db: DockhandDb, returnId: string): ReturnView | null | undefined {
  return useLiveQuery(() => readReturnView(db, returnId), [db, returnId]);
}
