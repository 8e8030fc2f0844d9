// Where units should go: the bin the app suggests for putaway and for restocking returns, with
// the reason said in words. Pure: it decides on the locations and stock the device holds.
import type { Location, LocationType, Product, StockRow } from './entities';

/** Location types that never receive putaway: they hold stock in transit or unsellable stock. */
export const NOT_PUTAWAY: ReadonlySet<LocationType> = new Set(['dock', 'pack', 'returns', 'quarantine', 'damaged']);

export type SuggestProduct = Pick<Product, 'sku' | 'zone' | 'pickFaceLocationId'>;

export interface SuggestInput {
  /** The product being put away; null for units of several products (a mixed LPN). */
  product: SuggestProduct | null;
  /** Whose units they are: bins go in this owner's zones before anyone else's. */
  ownerId?: string;
  /** Units going in together: a bin is suggested only when all of them fit. */
  qty: number;
  locations: readonly Location[];
  /** Stock rows on the device (any owner): what a bin already holds, and whose zones are whose. */
  stock: readonly (Pick<StockRow, 'locationId' | 'qty'> & { ownerId?: string })[];
  /** Locations never to suggest, such as the one the units are leaving. */
  exclude?: readonly string[];
}

export type Suggestion =
  | { kind: 'pick-face' | 'zone' | 'any'; location: Location; reason: string }
  | { kind: 'none'; location: null; reason: string };

/** Units held per location id. */
function heldByLocation(stock: SuggestInput['stock']): Map<string, number> {
  const held = new Map<string, number>();
  for (const row of stock) if (row.qty > 0) held.set(row.locationId, (held.get(row.locationId) ?? 0) + row.qty);
  return held;
}

function hasRoom(location: Location, held: number, qty: number): boolean {
  return location.capacity === null || location.capacity - held >= qty;
}

/** Code-unit order, so every device breaks ties the same way. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The zones each owner's stock is stored in (storage bins and pick faces): an owner's aisle is
 * where its goods already are.
 */
function zonesByOwner(locations: readonly Location[], stock: SuggestInput['stock']): Map<string, Set<string>> {
  const zoneOf = new Map(locations.filter((l) => l.type === 'storage' || l.type === 'pick_face').map((l) => [l.id, l.zone]));
  const zones = new Map<string, Set<string>>();
  for (const row of stock) {
    const zone = zoneOf.get(row.locationId);
    if (row.qty <= 0 || zone === undefined || row.ownerId === undefined) continue;
    const owned = zones.get(row.ownerId) ?? new Set<string>();
    owned.add(zone);
    zones.set(row.ownerId, owned);
  }
  return zones;
}

/**
 * The product's pick face if it has room; else the empty storage bin nearest the pick face in walk
 * order (first in walk order without one), looked for in the product's zone, then in the owner's
 * zones (where its goods are stored), then in zones no other owner uses; only when all of those
 * are full, an empty bin in another owner's zone, saying so; else none. Dock, pack, returns,
 * quarantine and damaged never.
 */
export function suggestPutaway(input: SuggestInput): Suggestion {
  const { product, locations } = input;
  const qty = Math.max(1, input.qty);
  const held = heldByLocation(input.stock);
  const excluded = new Set(input.exclude ?? []);
  const usable = (location: Location) => !NOT_PUTAWAY.has(location.type) && !excluded.has(location.id);

  const pickFace = product?.pickFaceLocationId ? locations.find((l) => l.id === product.pickFaceLocationId) : undefined;
  if (product && pickFace && usable(pickFace) && hasRoom(pickFace, held.get(pickFace.id) ?? 0, qty)) {
    return { kind: 'pick-face', location: pickFace, reason: `Pick face of ${product.sku}` };
  }

  const anchor = pickFace?.walkSeq;
  const empty = locations
    .filter((l) => l.type === 'storage' && usable(l) && (held.get(l.id) ?? 0) === 0 && hasRoom(l, 0, qty))
    .sort(
      (a, b) =>
        (anchor === undefined ? 0 : Math.abs(a.walkSeq - anchor) - Math.abs(b.walkSeq - anchor)) ||
        a.walkSeq - b.walkSeq ||
        compareText(a.code, b.code),
    );
  const where = anchor === undefined ? 'first in walk order' : 'nearest the pick face';

  const zones = zonesByOwner(locations, input.stock);
  const own = (input.ownerId !== undefined ? zones.get(input.ownerId) : undefined) ?? new Set<string>();
  const others = new Set([...zones].flatMap(([ownerId, owned]) => (ownerId === input.ownerId ? [] : [...owned])).filter((zone) => !own.has(zone)));

  const zone = product?.zone ?? null;
  if (zone !== null) {
    const inZone = empty.find((l) => l.zone === zone);
    if (inZone) return { kind: 'zone', location: inZone, reason: `Empty bin in zone ${zone}, ${where}` };
  }
  const owned = empty.find((l) => own.has(l.zone));
  if (owned) return { kind: 'zone', location: owned, reason: `Empty bin in zone ${owned.zone}, where this client's goods are, ${where}` };
  const free = empty.find((l) => !others.has(l.zone));
  const full = zone !== null ? `zone ${zone} has none free` : own.size > 0 ? `this client's zones have none free` : null;
  if (free) return { kind: 'any', location: free, reason: `Empty bin in zone ${free.zone}, ${where}${full ? ` (${full})` : ''}` };
  const theirs = empty[0];
  if (theirs) return { kind: 'any', location: theirs, reason: `Empty bin in zone ${theirs.zone}, another client's zone: no bin of this client's is free` };
  const what = product ? ` ${product.sku}` : '';
  return { kind: 'none', location: null, reason: `No bin has room for ${qty}${what}: choose a bin` };
}
