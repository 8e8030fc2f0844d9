// What the receive screens read from the device's view, as plain reads (for commands and tests)
// and live queries (for screens). Everything here reads IndexedDB only, so it works offline.
import { useLiveQuery } from 'dexie-react-hooks';
import type { ReceiptLine } from '../../domain/entities';
import { receiveProgress } from '../../domain/workflows/receive';
import type { ReceiveProduct, ReceiveProgress, ReceiveView } from '../../domain/workflows/receive';
import { rowScope, type DockhandDb } from '../../storage/db';
import { getMeta } from '../../storage/meta';
import { getRow, getRows, rowsWhere } from '../../storage/rows';
import { readSession } from '../../storage/session-repo';

export interface ReceiptItem {
  id: string;
  number: string;
  supplier: string;
  expectedAt: string;
  progress: ReceiveProgress;
}

/** Expected lines first in id order (the receipt's order), lines added on the floor after. */
function receiptOrder(lines: ReceiptLine[]): ReceiptLine[] {
  return [...lines].sort((a, b) => Number(a.unexpected) - Number(b.unexpected) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The open receipts of the owners the user works for (`ownerIds` null: all), by expected date then
 * number, each with its progress.
 */
export async function readOpenReceipts(db: DockhandDb, ownerIds: readonly string[] | null): Promise<ReceiptItem[]> {
  return db.transaction('r', rowScope(db, ['receipts', 'receiptLines']), async () => {
    const receipts = (await rowsWhere(db, 'receipts', 'status', ['open']))
      .filter((receipt) => ownerIds === null || ownerIds.includes(receipt.ownerId))
      .sort((a, b) => a.expectedAt.localeCompare(b.expectedAt) || a.number.localeCompare(b.number));
    const lines = await rowsWhere(db, 'receiptLines', 'receiptId', receipts.map((receipt) => receipt.id));
    return receipts.map((receipt) => ({
      id: receipt.id,
      number: receipt.number,
      supplier: receipt.supplier,
      expectedAt: receipt.expectedAt,
      progress: receiveProgress(lines.filter((line) => line.receiptId === receipt.id)),
    }));
  });
}

/** One receipt as the receive screen works on it, or null when the device has no such receipt. */
export async function readReceiveView(db: DockhandDb, receiptId: string): Promise<ReceiveView | null> {
  return db.transaction('r', [...rowScope(db, ['receipts', 'receiptLines', 'products', 'locations', 'owners']), db.meta], async () => {
    const zone = getMeta(db, 'timeZone');
    const receipt = await getRow(db, 'receipts', receiptId);
    if (!receipt) return null;
    const lines = receiptOrder(await rowsWhere(db, 'receiptLines', 'receiptId', [receiptId]));
    const [products, dock, timeZone, owner] = await Promise.all([
      getRows(db, 'products', [...new Set(lines.map((line) => line.productId))]),
      getRow(db, 'locations', receipt.dockLocationId),
      zone,
      getRow(db, 'owners', receipt.ownerId),
    ]);
    const byId: Record<string, ReceiveProduct> = {};
    for (const product of products) {
      if (product) {
        byId[product.id] = { id: product.id, ownerId: product.ownerId, sku: product.sku, name: product.name, lotTracked: product.lotTracked, expiryTracked: product.expiryTracked };
      }
    }
    return {
      receiptId: receipt.id,
      number: receipt.number,
      ownerId: receipt.ownerId,
      supplier: receipt.supplier,
      status: receipt.status,
      dockLocationId: receipt.dockLocationId,
      dockCode: dock?.code ?? receipt.dockLocationId,
      lines,
      products: byId,
      // Unknown until the owner's row has synced: the server's rule decides then.
      ...(owner ? { allowUnexpected: owner.allowUnexpectedItems } : {}),
      ...(timeZone ? { timeZone } : {}),
    };
  });
}

/** LPN numbers this device still holds in its reserved ranges. */
export async function readLpnNumbersLeft(db: DockhandDb): Promise<number> {
  const ranges = await db.lpnRanges.toArray();
  return ranges.reduce((sum, range) => sum + Math.max(0, range.end - range.next + 1), 0);
}

/** The signed-in user's open receipts, live (none when nobody is signed in); undefined while loading. */
export function useOpenReceipts(db: DockhandDb): ReceiptItem[] | undefined {
  return useLiveQuery(async () => {
    const session = await readSession(db);
    return session ? readOpenReceipts(db, session.user.ownerIds) : [];
  }, [db]);
}

/** One receipt's view, live: undefined while loading, null when the device has no such receipt. */
export function useReceiveView(db: DockhandDb, receiptId: string): ReceiveView | null | undefined {
  return useLiveQuery(() => readReceiveView(db, receiptId), [db, receiptId]);
}

/** Damage photos of a receipt still waiting for upload, live. */
export function usePhotosWaiting(db: DockhandDb, receiptId: string): number | undefined {
  return useLiveQuery(
    () => db.photos.where('receiptId').equals(receiptId).filter((photo) => photo.uploaded === 0).count(),
    [db, receiptId],
  );
}
