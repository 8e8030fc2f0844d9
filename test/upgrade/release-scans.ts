// What the upgrade fixtures' device did while offline, and the rows the server needs for it (a
// return with received units). Plain data: the fixture writer imports it inside an old release.

/** A device database as a release left it: every Dexie table's records, as stored. */
export interface ReleaseFixture {
  /** The commit the fixture was written by. */
  release: string;
  /** Its Dexie schema version (`db.verno`). */
  dexieVersion: number;
  tables: Record<string, unknown[]>;
}

/** Rows added to test/server/fixture.ts's warehouse: a return whose two grinders are received. */
export const RELEASE_EXTRA_ROWS = {
  returns: [{ id: 'ret-1', ownerId: 'own-a', rma: 'RMA-5001', orderId: '5234567890123456789', status: 'open', returnsLocationId: 'loc-ret' }],
  returnLines: [
    { id: 'rtl-1', returnId: 'ret-1', ownerId: 'own-a', productId: 'prd-a2', authorisedQty: 2, receivedQty: 2, restockedQty: 0, damagedQty: 0, quarantinedQty: 0 },
  ],
  stock: [{ id: 'loc-ret|prd-a2||', ownerId: 'own-a', locationId: 'loc-ret', productId: 'prd-a2', lot: null, expiry: null, lpn: null, qty: 2 }],
} as const;

/**
 * The scans, in the order the user made them: every kind of mutation interleaved, and a restock
 * into a bin other than the grinder's pick face, whose reason a release before restock v2 could
 * not send.
 */
export const RELEASE_SCANS = [
  { type: 'receive', args: { receiptId: 'rcp-a', productId: 'prd-a1', qty: 2 } },
  { type: 'restock', args: { returnId: 'ret-1', productId: 'prd-a2', qty: 1, disposition: 'restock', toLocationId: 'loc-b01' } },
  { type: 'pick', args: { pickLineId: 'pln-1', locationId: 'loc-a01', productId: 'prd-a1', qty: 2 } },
  { type: 'move', args: { productId: 'prd-a1', fromLocationId: 'loc-a01', toLocationId: 'loc-b01', qty: 1 } },
  { type: 'restock', args: { returnId: 'ret-1', productId: 'prd-a2', qty: 1, disposition: 'damaged' } },
  { type: 'pick', args: { pickLineId: 'pln-1', locationId: 'loc-a01', productId: 'prd-a1', qty: 1 } },
] as const;
