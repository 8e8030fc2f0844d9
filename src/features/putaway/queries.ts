// What the putaway screen reads from the device's view, as a plain read (for commands and tests)
// and a live query (for the screen): the bin map, every stock row with units, and their products.
// It reads IndexedDB only, so putaway works offline.
import { useLiveQuery } from 'dexie-react-hooks';
import type { PutawayProduct, PutawayView } from '../../domain/workflows/putaway';
import { rowScope, type DockhandDb } from '../../storage/db';
import { allRows, getRows } from '../../storage/rows';
import { readSession } from '../../storage/session-repo';

/** The putaway view for the signed-in user (no owners' stock offered when nobody is signed in). */
export async function readPutawayView(db: DockhandDb): Promise<PutawayView> {
  const session = await readSession(db);
  return db.transaction('r', rowScope(db, ['locations', 'stock', 'products']), async () => {
    const locations = await allRows(db, 'locations');
    const rows = (await allRows(db, 'stock')).filter((row) => row.qty > 0);
    const productIds = [...new Set(rows.map((row) => row.productId))];
    const products: Record<string, PutawayProduct> = {};
    for (const product of await getRows(db, 'products', productIds)) {
      if (product) {
        const { id, sku, name, zone, pickFaceLocationId } = product;
        products[id] = { id, sku, name, zone, pickFaceLocationId };
      }
    }
    return { ownerIds: session ? session.user.ownerIds : [], locations, stock: rows, products };
  });
}

/** The putaway view, live; undefined while loading. */
export function usePutawayView(db: DockhandDb): PutawayView | undefined {
  return useLiveQuery(() => readPutawayView(db), [db]);
}
