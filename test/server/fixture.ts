// A small, exact warehouse for server tests: two owners, a few bins, stock whose last unit two
// pick lists compete for, and users of every role.
import { stockId, type RowOf } from '../../src/domain';
import type { WarehouseData } from '../../server/seed/types';

export const TODAY = '2026-11-25';

const location = (id: string, code: string, type: RowOf<'locations'>['type'], walkSeq: number): RowOf<'locations'> => ({
  id, code, zone: 'A', type, aisle: type === 'storage' || type === 'pick_face' ? code.slice(0, 4) : null, level: null, walkSeq, capacity: null,
});

const stock = (ownerId: string, locationId: string, productId: string, qty: number, lot: string | null = null, expiry: string | null = null): RowOf<'stock'> => ({
  id: stockId(locationId, productId, lot, null), ownerId, locationId, productId, lot, expiry, lpn: null, qty,
});

const pickLine = (id: string, pickListId: string, ownerId: string, orderId: string, orderLineId: string, productId: string, locationId: string, qty: number, walkSeq: number): RowOf<'pickLines'> => ({
  id, pickListId, ownerId, orderId, orderLineId, productId, locationId, lot: null, qty, pickedQty: 0, shortQty: 0, shortReason: null, status: 'open', walkSeq,
});

export function fixtureWarehouse(): WarehouseData {
  return {
    users: [
      { username: 'operator', displayName: 'Olivia Operator', pin: '1111', role: 'operator', ownerIds: null },
      { username: 'supervisor', displayName: 'Sam Supervisor', pin: '2222', role: 'supervisor', ownerIds: null },
      { username: 'admin', displayName: 'Ada Admin', pin: '9999', role: 'admin', ownerIds: null },
      { username: 'beta', displayName: 'Ben Beta', pin: '3333', role: 'operator', ownerIds: ['own-b'] },
    ],
    rows: {
      owners: [
        { id: 'own-a', code: 'ACME', name: 'Acme Coffee', overReceiptTolerancePct: 10, allowUnexpectedItems: false, packQuantityTyped: false },
        { id: 'own-b', code: 'BETA', name: 'Beta Outdoor', overReceiptTolerancePct: 0, allowUnexpectedItems: true, packQuantityTyped: true },
      ],
      locations: [
        location('loc-dock', 'DOCK-1', 'dock', 0),
        location('loc-a01', 'A-01-1', 'pick_face', 10),
        location('loc-a02', 'A-02-1', 'pick_face', 20),
        location('loc-b01', 'B-01-1', 'storage', 30),
        location('loc-pack', 'PACK-1', 'pack', 90),
        location('loc-ret', 'RET-1', 'returns', 95),
        location('loc-quar', 'QUAR-1', 'quarantine', 96),
        location('loc-dmg', 'DMG-1', 'damaged', 97),
      ],
      products: [
        { id: 'prd-a1', ownerId: 'own-a', sku: 'ACME-ESP', name: 'Espresso beans 1 kg', barcodes: ['04006381333931', 'ACME-ESP'], lotTracked: false, expiryTracked: false, serialTracked: false, zone: 'A', pickFaceLocationId: 'loc-a01' },
        { id: 'prd-a2', ownerId: 'own-a', sku: 'ACME-GRN', name: 'Grinder', barcodes: ['05012345678900', 'ACME-GRN'], lotTracked: false, expiryTracked: false, serialTracked: false, zone: 'A', pickFaceLocationId: 'loc-a02' },
        { id: 'prd-b1', ownerId: 'own-b', sku: 'BETA-TNT', name: 'Two-person tent', barcodes: ['08712345678906', 'BETA-TNT'], lotTracked: false, expiryTracked: false, serialTracked: false, zone: 'A', pickFaceLocationId: null },
      ],
      stock: [
        stock('own-a', 'loc-a01', 'prd-a1', 5),
        stock('own-a', 'loc-a02', 'prd-a2', 1),
        stock('own-b', 'loc-b01', 'prd-b1', 10),
      ],
      receipts: [
        { id: 'rcp-a', ownerId: 'own-a', number: 'ASN-1001', kind: 'asn', supplier: 'Roastery', status: 'open', dockLocationId: 'loc-dock', expectedAt: TODAY },
        { id: 'rcp-b', ownerId: 'own-b', number: 'PO-2001', kind: 'po', supplier: 'Tent works', status: 'open', dockLocationId: 'loc-dock', expectedAt: TODAY },
      ],
      receiptLines: [
        { id: 'rcl-a1', receiptId: 'rcp-a', ownerId: 'own-a', productId: 'prd-a1', expectedQty: 10, receivedQty: 0, damagedQty: 0, unexpected: false },
        { id: 'rcl-b1', receiptId: 'rcp-b', ownerId: 'own-b', productId: 'prd-b1', expectedQty: 500, receivedQty: 0, damagedQty: 0, unexpected: false },
      ],
      cartonTypes: [
        { id: 'box-a', ownerId: 'own-a', code: 'BOX-A', name: 'Acme mailer box', lengthMm: 300, widthMm: 200, heightMm: 150, maxWeightGrams: 10_000 },
        { id: 'box-b', ownerId: 'own-b', code: 'BOX-B', name: 'Beta tent box', lengthMm: 600, widthMm: 300, heightMm: 300, maxWeightGrams: null },
      ],
      orders: [
        { id: '5234567890123456789', ownerId: 'own-a', number: '#1001', source: 'demo', status: 'allocated', customerName: 'Ann Archer', createdAt: '2026-11-24T10:00:00.000Z' },
        { id: '5234567890123456790', ownerId: 'own-a', number: '#1002', source: 'demo', status: 'allocated', customerName: 'Bo Baker', createdAt: '2026-11-24T10:05:00.000Z' },
        { id: '5234567890123456791', ownerId: 'own-b', number: '#2001', source: 'demo', status: 'allocated', customerName: 'Cy Carter', createdAt: '2026-11-24T10:10:00.000Z' },
      ],
      orderLines: [
        { id: 'orl-1', orderId: '5234567890123456789', ownerId: 'own-a', productId: 'prd-a1', qty: 3, pickedQty: 0, packedQty: 0 },
        { id: 'orl-2', orderId: '5234567890123456789', ownerId: 'own-a', productId: 'prd-a2', qty: 1, pickedQty: 0, packedQty: 0 },
        { id: 'orl-3', orderId: '5234567890123456790', ownerId: 'own-a', productId: 'prd-a2', qty: 1, pickedQty: 0, packedQty: 0 },
        { id: 'orl-4', orderId: '5234567890123456791', ownerId: 'own-b', productId: 'prd-b1', qty: 2, pickedQty: 0, packedQty: 0 },
      ],
      pickLists: [
        { id: 'pl-1', ownerId: 'own-a', number: 'PL-000001', status: 'open', stagingLocationId: 'loc-pack', createdAt: '2026-11-24T11:00:00.000Z' },
        { id: 'pl-2', ownerId: 'own-a', number: 'PL-000002', status: 'open', stagingLocationId: 'loc-pack', createdAt: '2026-11-24T11:00:00.000Z' },
        { id: 'pl-3', ownerId: 'own-b', number: 'PL-000003', status: 'open', stagingLocationId: 'loc-pack', createdAt: '2026-11-24T11:00:00.000Z' },
      ],
      pickLines: [
        pickLine('pln-1', 'pl-1', 'own-a', '5234567890123456789', 'orl-1', 'prd-a1', 'loc-a01', 3, 10),
        pickLine('pln-2', 'pl-1', 'own-a', '5234567890123456789', 'orl-2', 'prd-a2', 'loc-a02', 1, 20),
        // The same last grinder, allocated twice after a miscount: only one pick can have it.
        pickLine('pln-3', 'pl-2', 'own-a', '5234567890123456790', 'orl-3', 'prd-a2', 'loc-a02', 1, 20),
        pickLine('pln-4', 'pl-3', 'own-b', '5234567890123456791', 'orl-4', 'prd-b1', 'loc-b01', 2, 30),
      ],
    },
  };
}
