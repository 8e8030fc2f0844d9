// What the pick screens read from the device's view, as plain reads (for commands and tests) and
// live queries (for screens). Everything here reads IndexedDB only, so it works offline.
import { useLiveQuery } from 'dexie-react-hooks';
import type { PickLine, PickList } from '../../domain/entities';
import { sortPickPath } from '../../domain/pick-path';
import { pickProgress } from '../../domain/workflows/pick';
import type { PickProgress, PickView, ProductLabel } from '../../domain/workflows/pick';
import { rowScope, type DockhandDb } from '../../storage/db';
import { getRow, getRows, rowsWhere } from '../../storage/rows';
import { readSession } from '../../storage/session-repo';

export interface PickListItem {
  id: string;
  number: string;
  status: PickList['status'];
  progress: PickProgress;
  /** The client's name, as the floor knows it. */
  ownerName: string;
  orderCount: number;
  /** The zones its bins are in, in walk order. */
  zones: string[];
  /** Who holds it (claim-pick-list): `you`, another picker's name, or null when nobody does. */
  heldBy: string | null;
}

/**
 * The open and in-progress pick lists of the owners the user works for (`ownerIds` null: all),
 * oldest first, each with its progress.
 */
export async function readOpenPickLists(db: DockhandDb, ownerIds: readonly string[] | null, me?: string): Promise<PickListItem[]> {
  return db.transaction('r', rowScope(db, ['pickLists', 'pickLines', 'owners', 'locations']), async () => {
    const lists = (await rowsWhere(db, 'pickLists', 'status', ['open', 'in_progress']))
      .filter((list) => ownerIds === null || ownerIds.includes(list.ownerId))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.number < b.number ? -1 : 1));
    const lines = await rowsWhere(db, 'pickLines', 'pickListId', lists.map((list) => list.id));
    const byList = new Map<string, PickLine[]>();
    for (const line of lines) {
      const group = byList.get(line.pickListId);
      if (group) group.push(line);
      else byList.set(line.pickListId, [line]);
    }
    const [owners, locations] = await Promise.all([
      getRows(db, 'owners', [...new Set(lists.map((list) => list.ownerId))]),
      getRows(db, 'locations', [...new Set(lines.map((line) => line.locationId))]),
    ]);
    const ownerName = new Map(owners.flatMap((owner) => (owner ? [[owner.id, owner.name] as const] : [])));
    const zoneOf = new Map(locations.flatMap((location) => (location ? [[location.id, location] as const] : [])));
    return lists.map((list) => {
      const own = byList.get(list.id) ?? [];
      const bins = own.map((line) => zoneOf.get(line.locationId)).filter((location) => location !== undefined).sort((a, b) => a.walkSeq - b.walkSeq);
      return {
        id: list.id,
        number: list.number,
        status: list.status,
        progress: pickProgress(own),
        ownerName: ownerName.get(list.ownerId) ?? list.ownerId,
        orderCount: new Set(own.map((line) => line.orderId)).size,
        zones: [...new Set(bins.map((location) => location.zone))],
        heldBy: !list.claimedBy ? null : list.claimedBy === me ? 'you' : (list.claimedByName ?? 'another picker'),
      };
    });
  });
}

/** The lines in the device's order: the stored order first, lines it does not name in walk order after. */
function deviceOrder(walk: PickLine[], stored: readonly string[] | undefined): PickLine[] {
  if (!stored) return walk;
  const byId = new Map(walk.map((line) => [line.id, line]));
  const ordered = stored.flatMap((id) => byId.get(id) ?? []);
  const named = new Set(stored);
  return [...ordered, ...walk.filter((line) => !named.has(line.id))];
}

/** One pick list as the pick screen works on it, or null when the device has no such list. */
export async function readPickView(db: DockhandDb, pickListId: string): Promise<PickView | null> {
  return db.transaction('r', [...rowScope(db, ['pickLists', 'pickLines', 'locations', 'products']), db.pickOrder], async () => {
    const list = await getRow(db, 'pickLists', pickListId);
    if (!list) return null;
    const lines = await rowsWhere(db, 'pickLines', 'pickListId', [pickListId]);
    const locationIds = [...new Set(lines.map((line) => line.locationId))];
    const productIds = [...new Set(lines.map((line) => line.productId))];
    const [locations, products, order] = await Promise.all([
      getRows(db, 'locations', locationIds),
      getRows(db, 'products', productIds),
      db.pickOrder.get(pickListId),
    ]);

    const binCodes: Record<string, string> = {};
    for (const location of locations) if (location) binCodes[location.id] = location.code;
    const labels: Record<string, ProductLabel> = {};
    for (const product of products) if (product) labels[product.id] = { sku: product.sku, name: product.name };

    const walk = sortPickPath(lines, {
      locationCode: (id) => binCodes[id],
      productKey: (id) => labels[id]?.sku,
    });
    return {
      pickListId: list.id,
      number: list.number,
      lines: deviceOrder(walk, order?.lineIds),
      binCodes,
      products: labels,
      claim: { by: list.claimedBy ?? null, name: list.claimedByName ?? null, at: list.claimedAt ?? null },
    };
  });
}

/**
 * The view with `committed` lines in place of the lines of the same id (others are ignored): what
 * `readPickView` answers after a pick-screen mutation commits, since the line order depends only
 * on bins, products and the stored order, never on quantities.
 */
export function withCommittedLines(view: PickView, committed: readonly PickLine[]): PickView {
  if (committed.length === 0) return view;
  const byId = new Map(committed.map((line) => [line.id, line]));
  return { ...view, lines: view.lines.map((line) => byId.get(line.id) ?? line) };
}

/** The signed-in user's open pick lists, live (none when nobody is signed in); undefined while loading. */
export function useOpenPickLists(db: DockhandDb): PickListItem[] | undefined {
  return useLiveQuery(async () => {
    const session = await readSession(db);
    return session ? readOpenPickLists(db, session.user.ownerIds, session.user.id) : [];
  }, [db]);
}

/** One pick list's view, live: undefined while loading, null when the device has no such list. */
export function usePickView(db: DockhandDb, pickListId: string): PickView | null | undefined {
  return useLiveQuery(() => readPickView(db, pickListId), [db, pickListId]);
}

/** The open pick list with this number (`PL-000123`, as printed on it), or null. */
export async function findPickList(db: DockhandDb, text: string): Promise<{ id: string; number: string } | null> {
  const number = text.trim().toUpperCase();
  const lists = await rowsWhere(db, 'pickLists', 'status', ['open', 'in_progress']);
  const found = lists.find((list) => list.number.toUpperCase() === number);
  return found ? { id: found.id, number: found.number } : null;
}
