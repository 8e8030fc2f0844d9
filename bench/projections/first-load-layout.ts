// A projection for decision 0004, not a figure of the app (so not part of `npm run bench`): the
// large warehouse's row counts, synthetic rows of the same shapes, written to IndexedDB in
// Chromium one record per row (today's stores and indexes, then without secondary indexes) and in a packed layout (stock inside
// its bin's record, products in blocks of 200 with the barcode index in 512 hash blocks, order
// lines inside their order, pick lines inside their list). Run: `npx tsx bench/projections/first-load-layout.ts`.
import { createServer } from 'node:http';
import { launchChromium } from '../../test/e2e/harness';
const server = createServer((_, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>x</title>'); });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as { port: number }).port;
const browser = await launchChromium();
const page = await (await browser.newContext()).newPage();
await page.goto(`http://127.0.0.1:${port}/`);
// tsx names the functions below with a helper the page does not have.
await page.evaluate('window.__name = (f) => f');
const result = await page.evaluate(async () => {
  const N = { products: 50000, bins: 20000, stock: 100000, orders: 5000, lines: 12600, lists: 1000 };
  const products = Array.from({ length: N.products }, (_, i) => ({ id: `prd-${String(i).padStart(6, '0')}`, ownerId: `own-${i % 3}`, sku: `SKU-${i}`, name: `Product number ${i} of the large warehouse`, barcodes: [`0${String(4006381000000 + i * 7).padStart(13, '0')}`, ...(i % 5 === 0 ? [`1${String(4006381000000 + i * 7).padStart(13, '0')}`] : [])], lotTracked: i % 10 === 0, expiryTracked: i % 10 === 0, zone: 'A', pickFaceLocationId: null }));
  const locations = Array.from({ length: N.bins }, (_, i) => ({ id: `loc-${i}`, code: `A${String(i).padStart(5, '0')}`, zone: 'A', type: i % 4 === 0 ? 'pick_face' : 'storage', aisle: 'A01', level: '1', walkSeq: i * 10, capacity: null }));
  const stock = Array.from({ length: N.stock }, (_, i) => { const loc = `loc-${i % N.bins}`; const prd = products[(i * 7919) % N.products]!.id; return { id: `${loc}|${prd}||`, ownerId: 'own-0', locationId: loc, productId: prd, lot: null, expiry: null, lpn: null, qty: 10 + (i % 50) }; });
  const orders = Array.from({ length: N.orders }, (_, i) => ({ id: `59${String(i).padStart(17, '0')}`, ownerId: 'own-0', number: `#${i}`, source: 'api', status: 'allocated', customerName: 'Customer', createdAt: '2026-11-25T06:00:00Z' }));
  const orderLines = Array.from({ length: N.lines }, (_, i) => ({ id: `${orders[i % N.orders]!.id}-${Math.floor(i / N.orders) + 1}`, orderId: orders[i % N.orders]!.id, ownerId: 'own-0', productId: products[i]!.id, qty: 2, pickedQty: 0, packedQty: 0 }));
  const pickLists = Array.from({ length: N.lists }, (_, i) => ({ id: `pl-${i}`, ownerId: 'own-0', number: `PL-${i}`, status: 'open', stagingLocationId: 'loc-PACK', createdAt: '2026-11-25T06:00:00Z' }));
  const pickLines = orderLines.map((l, i) => ({ id: `pln-${i}`, pickListId: `pl-${i % N.lists}`, ownerId: 'own-0', orderId: l.orderId, orderLineId: l.id, productId: l.productId, locationId: `loc-${i % N.bins}`, lot: null, qty: 2, pickedQty: 0, shortQty: 0, shortReason: null, status: 'open', walkSeq: i }));

  function open(name: string, upgrade: (db: IDBDatabase) => void): Promise<IDBDatabase> {
    return new Promise((res, rej) => { const r = indexedDB.open(name, 1); r.onupgradeneeded = () => upgrade(r.result); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
  }
  function write(db: IDBDatabase, batches: [string, unknown[]][]): Promise<void> {
    return new Promise((res, rej) => {
      const tx = db.transaction([...new Set(batches.map(([s]) => s))], 'readwrite', { durability: 'strict' });
      for (const [store, rows] of batches) { const os = tx.objectStore(store); for (const row of rows) os.put(row); }
      tx.oncomplete = () => res(); tx.onerror = () => rej(tx.error);
    });
  }
  /** Writes `rows` of each store in transactions of at most 10,000 records, as the first load does. */
  async function timed(db: IDBDatabase, stores: [string, unknown[]][]): Promise<{ ms: number; records: number }> {
    const t = performance.now(); let records = 0;
    for (const [store, rows] of stores) for (let i = 0; i < rows.length; i += 10000) { const part = rows.slice(i, i + 10000); records += part.length; await write(db, [[store, part]]); }
    return { ms: performance.now() - t, records };
  }
  const rowsDb = await open('rows-' + Math.random(), (db) => {
    db.createObjectStore('products', { keyPath: 'id' }).createIndex('barcodes', 'barcodes', { multiEntry: true });
    const l = db.createObjectStore('locations', { keyPath: 'id' }); l.createIndex('code', 'code', { unique: true }); l.createIndex('type', 'type');
    const s = db.createObjectStore('stock', { keyPath: 'id' }); s.createIndex('pl', ['productId', 'locationId']); s.createIndex('locationId', 'locationId');
    const o = db.createObjectStore('orders', { keyPath: 'id' }); o.createIndex('ownerId', 'ownerId'); o.createIndex('status', 'status'); o.createIndex('number', 'number');
    db.createObjectStore('orderLines', { keyPath: 'id' }).createIndex('orderId', 'orderId');
    const p = db.createObjectStore('pickLists', { keyPath: 'id' }); p.createIndex('ownerId', 'ownerId'); p.createIndex('status', 'status');
    const pl = db.createObjectStore('pickLines', { keyPath: 'id' }); pl.createIndex('pickListId', 'pickListId'); pl.createIndex('orderId', 'orderId');
  });
  const all: [string, unknown[]][] = [['products', products], ['locations', locations], ['stock', stock], ['orders', orders], ['orderLines', orderLines], ['pickLists', pickLists], ['pickLines', pickLines]];
  const perRow = await timed(rowsDb, all);
  // The same records with no secondary index: what the indexes cost.
  const bareDb = await open('bare-' + Math.random(), (db) => {
    for (const [store] of all) db.createObjectStore(store, { keyPath: 'id' });
  });
  const bare = await timed(bareDb, all);

  // Packed: a bin's record holds its stock; products in blocks of 200 by id; barcode→product in
  // 512 hash blocks; an order's record holds its lines; a list's record holds its lines.
  const hash = (s: string) => { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return (h >>> 0) % 512; };
  const stockByBin = new Map<string, unknown[]>(); for (const s of stock) (stockByBin.get(s.locationId) ?? stockByBin.set(s.locationId, []).get(s.locationId)!).push(s);
  const bins = locations.map((l) => ({ ...l, stock: stockByBin.get(l.id) ?? [] }));
  const blocks = Array.from({ length: Math.ceil(N.products / 200) }, (_, b) => ({ first: products[b * 200]!.id, rows: products.slice(b * 200, b * 200 + 200) }));
  const index = new Map<number, Record<string, string>>(); for (const p of products) for (const code of p.barcodes) { const h = hash(code); (index.get(h) ?? index.set(h, {}).get(h)!)[code] = p.id; }
  const barcodeBlocks = [...index].map(([bucket, codes]) => ({ bucket, codes }));
  const linesByOrder = new Map<string, unknown[]>(); for (const l of orderLines) (linesByOrder.get(l.orderId) ?? linesByOrder.set(l.orderId, []).get(l.orderId)!).push(l);
  const ordersPacked = orders.map((o) => ({ ...o, lines: linesByOrder.get(o.id) ?? [] }));
  const linesByList = new Map<string, unknown[]>(); for (const l of pickLines) (linesByList.get(l.pickListId) ?? linesByList.set(l.pickListId, []).get(l.pickListId)!).push(l);
  const listsPacked = pickLists.map((p) => ({ ...p, lines: linesByList.get(p.id) ?? [] }));
  const packedDb = await open('packed-' + Math.random(), (db) => {
    db.createObjectStore('productBlocks', { keyPath: 'first' });
    db.createObjectStore('barcodeBlocks', { keyPath: 'bucket' });
    const b = db.createObjectStore('bins', { keyPath: 'id' }); b.createIndex('code', 'code', { unique: true }); b.createIndex('type', 'type');
    db.createObjectStore('orders', { keyPath: 'id' });
    db.createObjectStore('pickLists', { keyPath: 'id' });
  });
  const packed = await timed(packedDb, [['productBlocks', blocks], ['barcodeBlocks', barcodeBlocks], ['bins', bins], ['orders', ordersPacked], ['pickLists', listsPacked]]);
  return { rows: products.length + locations.length + stock.length + orders.length + orderLines.length + pickLists.length + pickLines.length, perRow, bare, packed };
});
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(`${result.rows} rows, one record per row: ${result.perRow.records} records in ${seconds(result.perRow.ms)}`);
console.log(`${result.rows} rows, one record per row, no secondary index: ${result.bare.records} records in ${seconds(result.bare.ms)}`);
console.log(`${result.rows} rows, packed: ${result.packed.records} records in ${seconds(result.packed.ms)}`);
await browser.close();
server.close();
