// What the returns screens read from the device's view, as plain reads (for commands and tests)
// and live queries (for screens). Everything here reads IndexedDB only, so returns work offline.
import { useLiveQuery } from 'dexie-react-hooks';
import type { ReturnView, ReturnsProduct } from '../../domain/workflows/returns';
import { rowScope, type DockhandDb } from '../../storage/db';
import { allRows, getRow, getRows, rowsWhere } from '../../storage/rows';
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
  return db.transaction('r', rowScope(db, ['returns', 'returnLines', 'orders']), async () => {
    const returns = (await rowsWhere(db, 'returns', 'status', ['open']))
      .filter((ret) => ownerIds === null || ownerIds.includes(ret.ownerId))
      .sort((a, b) => (a.rma < b.rma ? -1 : a.rma > b.rma ? 1 : 0));
    const lines = await rowsWhere(db, 'returnLines', 'returnId', returns.map((ret) => ret.id));
    const orders = await getRows(db, 'orders', returns.map((ret) => ret.orderId ?? ''));
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
  return db.transaction('r', rowScope(db, ['returns', 'returnLines', 'orders', 'products', 'locations', 'stock']), async () => {
    const ret = await getRow(db, 'returns', returnId);
    if (!ret) return null;
    const lines = await rowsWhere(db, 'returnLines', 'returnId', [returnId]);
    const order = ret.orderId ? await getRow(db, 'orders', ret.orderId) : undefined;
    const products: Record<string, ReturnsProduct> = {};
    for (const product of await getRows(db, 'products', lines.map((line) => line.productId))) {
      if (product) {
        const { id, sku, name, zone, pickFaceLocationId, lotTracked } = product;
        products[id] = { id, sku, name, zone, pickFaceLocationId, lotTracked };
      }
    }
    const locations = await allRows(db, 'locations');
    const stock = (await allRows(db, 'stock')).filter((row) => row.qty > 0);
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
