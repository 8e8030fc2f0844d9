// Master data through the real server (PGlite, and PostgreSQL when TEST_DATABASE_URL is set):
// CSV imports of products, bins and users, all or nothing and idempotent, reaching devices by
// pull; and the stock and ledger exports, scoped by owner and safe to open in a spreadsheet.
import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { gs1CheckDigit } from '../../src/domain/gtin';
import { MAX_CSV_BYTES } from '../../server/csv/read-csv';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { mutation, pickArgs, pullAll, push } from './client';

type Headers = { authorization: string };

function upload(server: TestServer, headers: Headers, url: string, csv: string | Readable) {
  return server.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'text/csv' }, payload: csv });
}

const importProducts = (server: TestServer, headers: Headers, csv: string | Readable, owner = 'ACME') =>
  upload(server, headers, `/api/admin/import/products?owner=${owner}`, csv);

async function products(server: TestServer): Promise<Record<string, { name: string; barcodes: string[]; pick_face_location_id: string | null; unit_weight_g: number | null; lot_tracked: boolean }>> {
  const { rows } = await server.db.query<{ sku: string; name: string; barcodes: string[]; pick_face_location_id: string | null; unit_weight_g: number | null; lot_tracked: boolean }>(
    'select sku, name, barcodes, pick_face_location_id, unit_weight_g, lot_tracked from products order by sku',
  );
  return Object.fromEntries(rows.map(({ sku, ...rest }) => [sku, rest]));
}

async function feedSeq(server: TestServer): Promise<number> {
  const { rows } = await server.db.query<{ seq: number }>('select coalesce(max(seq), 0)::int as seq from sync_rows');
  return rows[0]!.seq;
}

/** An EAN-13 with its check digit, from a number. */
const ean13 = (n: number) => {
  const body = String(200000000000 + n);
  return body + gs1CheckDigit(body);
};

interface CsvFailure {
  error: string;
  message: string;
  errors: { line: number; column: string | null; message: string }[];
  errorCount: number;
}

describe.each(BACKENDS)('master data on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  it('imports products from a file with a BOM, ; separators and quoted cells holding separators, quotes and newlines', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const csv = '\uFEFFSKU;Name;Barcodes;Lot_Tracked;expiry_tracked;zone;pick_face;unit_weight_g;length_mm;width_mm;height_mm\r\n'
      + 'ACME-DRK;"Dark roast; 1 kg, ""whole"" beans";4006381333948 acme-drk-2;yes;1;A;A-01-1;1000,5;200;100;80\r\n'
      + 'ACME-MUG;"Mug\nwith a line break";;no;;;;;;;\r\n';
    const response = await importProducts(server, admin, csv);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ rows: 2, created: 2, updated: 0, unchanged: 0 });
    const stored = await products(server);
    expect(stored['ACME-DRK']).toEqual({
      name: 'Dark roast; 1 kg, "whole" beans', barcodes: ['04006381333948', 'ACME-DRK-2', 'ACME-DRK'], pick_face_location_id: 'loc-a01', unit_weight_g: 1000.5, lot_tracked: true,
    });
    expect(stored['ACME-MUG']).toMatchObject({ name: 'Mug\nwith a line break', barcodes: ['ACME-MUG'], pick_face_location_id: null, unit_weight_g: null, lot_tracked: false });
  });

  it('refuses a file with bad rows among good ones, listing each by its line, and imports none of it', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const before = await products(server);
    const seq = await feedSeq(server);
    const csv = [
      'sku,name,barcodes,pick_face,unit_weight_g',
      'ACME-1,"Two\nlines",,,',
      'ACME-2,Good,,,', // line 4: the quoted cell above spans lines 2 and 3
      'ACME-3,Bad check digit,4006381333932,,', // line 5
      'ACME-4,Good,,,',
      'ACME-5,Unknown bin,,Z-99-9,', // line 7
      'ACME-6,Taken barcode,5012345678900,,', // line 8: the grinder's
      'ACME-7,Heavy,,,-3', // line 9
      'ACME-2,Again,,,', // line 10: a second ACME-2
      'ACME-8,Short row', // line 11
    ].join('\n');
    const response = await importProducts(server, admin, csv);
    expect(response.statusCode, response.body).toBe(422);
    const body = response.json<CsvFailure>();
    expect(body).toMatchObject({ error: 'INVALID_CSV', errorCount: 6 });
    expect(body.message).toBe('6 rows have errors; nothing was imported. Fix them and upload the file again.');
    expect(body.errors.map((e) => [e.line, e.column])).toEqual([
      [5, 'barcodes'], [7, 'pick_face'], [8, 'barcodes'], [9, 'unit_weight_g'], [10, 'sku'], [11, null],
    ]);
    expect(body.errors[0]!.message).toContain('check digit should be 1');
    expect(body.errors[1]!.message).toContain('No bin Z-99-9');
    expect(body.errors[2]!.message).toContain('ACME-GRN');
    expect(body.errors[4]!.message).toBe('sku ACME-2 is also on line 4; keep one of the two rows.');
    expect(await products(server)).toEqual(before);
    expect(await feedSeq(server)).toBe(seq);
  });

  it('changes nothing on a second upload of the same file, and updates only the rows that changed', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const csv = 'sku,name,barcodes,pick_face\nACME-ESP,Espresso beans 1 kg,4006381333931,A-01-1\nACME-NEW,New blend,,\n';
    expect((await importProducts(server, admin, csv)).json()).toEqual({ rows: 2, created: 1, updated: 1, unchanged: 0 });
    const seq = await feedSeq(server);
    const { rows: [count] } = await server.db.query<{ n: number }>('select count(*)::int as n from products');
    const again = await importProducts(server, admin, csv);
    expect(again.json()).toEqual({ rows: 2, created: 0, updated: 0, unchanged: 2 });
    expect(await feedSeq(server)).toBe(seq);
    expect((await server.db.query<{ n: number }>('select count(*)::int as n from products')).rows[0]).toEqual(count);
    const renamed = await importProducts(server, admin, csv.replace('New blend', 'Newer blend'));
    expect(renamed.json()).toEqual({ rows: 2, created: 0, updated: 1, unchanged: 1 });
  });

  it('reports broken quoting at the line where the quoted cell starts', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const response = await importProducts(server, admin, 'sku,name\nACME-1,Fine\nACME-2,"Never closed\nACME-3,Lost\n');
    expect(response.statusCode).toBe(422);
    expect(response.json<CsvFailure>().errors).toEqual([{ line: 3, column: null, message: expect.stringContaining('never closed') }]);
    const missing = await importProducts(server, admin, 'item,title\n');
    expect(missing.statusCode).toBe(200);
    const noSku = await importProducts(server, admin, 'code,name\nX,Y\n');
    expect(noSku.statusCode).toBe(422);
    expect(noSku.json<CsvFailure>().message).toContain('no sku column');
    const nul = await importProducts(server, admin, 'sku,name\nACME-1,Bad\u0000name\n');
    expect(nul.json<CsvFailure>().errors).toEqual([{ line: 2, column: 'name', message: expect.stringContaining('NUL') }]);
    const json = await server.app.inject({ method: 'POST', url: '/api/admin/import/products?owner=ACME', headers: admin, payload: { sku: 'x' } });
    expect(json.statusCode).toBe(415);
    const huge = await server.app.inject({
      method: 'POST', url: '/api/admin/import/products?owner=ACME', payload: 'sku,name\n',
      headers: { ...admin, 'content-type': 'text/csv', 'content-length': String(MAX_CSV_BYTES + 1) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json<{ message: string }>().message).toContain('Split it into smaller files');
  });

  it('keeps an admin of some owners to them: another owner is not found, bins are refused', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const created = await server.app.inject({
      method: 'POST', url: '/api/admin/users', headers: admin,
      payload: { username: 'badmin', displayName: 'Beta Admin', pin: '4444', role: 'admin', ownerIds: ['own-b'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const betaAdmin = await server.signIn('badmin', '4444');
    const other = await importProducts(server, betaAdmin, 'sku,name\nX,Y\n', 'ACME');
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('Acme');
    expect((await importProducts(server, betaAdmin, 'sku,name\nX,Y\n', 'own-a')).statusCode).toBe(404);
    expect((await importProducts(server, betaAdmin, 'sku,name\nBETA-X,Y\n', 'beta')).statusCode).toBe(200);
    const bins = await upload(server, betaAdmin, '/api/admin/import/bins', 'code,zone,type,walk_order\nZ-1,Z,storage,1\n');
    expect(bins.statusCode).toBe(403);
    expect(bins.json<{ message: string }>().message).toContain('every owner');
    const users = await upload(server, betaAdmin, '/api/admin/import/users', 'username,name,role,owners,pin\nb2,B Two,operator,,1234\nb3,B Three,operator,ACME,1234\n');
    expect(users.json<CsvFailure>().errors.map((e) => [e.line, e.column])).toEqual([[2, 'owners'], [3, 'owners']]);
    const supervisor = await server.signIn('supervisor', '2222');
    expect((await importProducts(server, supervisor, 'sku,name\nX,Y\n')).statusCode).toBe(403);
  });

  it('imports bins and upserts them by code; a product then takes one as its pick face', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const csv = 'code\tzone\ttype\taisle\tlevel\twalk_order\tcapacity\nC-01-1\tC\tpick face\tC-01\t1\t40\t200\nA-01-1\tA\tpick_face\tA-01\t\t15\t\n';
    const first = await upload(server, admin, '/api/admin/import/bins', csv);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ rows: 2, created: 1, updated: 1, unchanged: 0 });
    const { rows } = await server.db.query('select id, zone, type, aisle, level, walk_seq, capacity from locations where code in ($1, $2) order by code', ['A-01-1', 'C-01-1']);
    expect(rows).toEqual([
      { id: 'loc-a01', zone: 'A', type: 'pick_face', aisle: 'A-01', level: null, walk_seq: 15, capacity: null },
      { id: expect.stringMatching(/^loc-/), zone: 'C', type: 'pick_face', aisle: 'C-01', level: '1', walk_seq: 40, capacity: 200 },
    ]);
    expect((await upload(server, admin, '/api/admin/import/bins', csv)).json()).toEqual({ rows: 2, created: 0, updated: 0, unchanged: 2 });
    const bad = await upload(server, admin, '/api/admin/import/bins', 'code,zone,type,walk_order,capacity\nD-1,D,shelf,1,0\nD-2,D,storage,,\n');
    expect(bad.json<CsvFailure>().errors.map((e) => [e.line, e.column])).toEqual([[2, 'type'], [2, 'capacity'], [3, 'walk_order']]);
    expect((await importProducts(server, admin, 'sku,name,pick_face\nACME-C,Cups,C-01-1\n')).statusCode).toBe(200);
  });

  it('imports users with hashed PINs who can then sign in; updates keep the PIN; duplicates name both lines', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const csv = 'username,name,role,owners,pin\nAna,Ana Almeida,operator,ACME|beta,4321\nbeta,Ben Beta,supervisor,BETA,0000\n';
    const response = await upload(server, admin, '/api/admin/import/users', csv);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ rows: 2, created: 1, updated: 1, unchanged: 0 });
    expect(response.body).not.toContain('4321');
    const { rows } = await server.db.query<{ username: string; role: string; owner_ids: string[] | null; pin_hash: string }>(
      "select username, role, owner_ids, pin_hash from users where username in ('ana', 'beta') order by username",
    );
    expect(rows.map(({ pin_hash, ...rest }) => ({ ...rest, hashed: pin_hash.startsWith('scrypt$') }))).toEqual([
      { username: 'ana', role: 'operator', owner_ids: ['own-a', 'own-b'], hashed: true },
      { username: 'beta', role: 'supervisor', owner_ids: ['own-b'], hashed: true },
    ]);
    await server.signIn('ana', '4321');
    await server.signIn('beta', '3333');
    const signIn = await server.app.inject({ method: 'POST', url: '/api/session', payload: { username: 'beta', pin: '0000', deviceId: 'dev-beta-test' } });
    expect(signIn.statusCode).toBe(401);

    const dupes = await upload(server, admin, '/api/admin/import/users', 'username,name,role,pin\ncy,Cy,operator,1234\ndee,Dee,operator,\nCY,Cy again,admin,5678\n');
    expect(dupes.json<CsvFailure>().errors).toEqual([
      { line: 3, column: 'pin', message: expect.stringContaining('needs a PIN') },
      { line: 4, column: 'username', message: 'username cy is also on line 2; keep one of the two rows.' },
    ]);
    expect((await server.db.query("select 1 from users where username = 'cy'")).rows).toEqual([]);
  });

  it('hands a new product to a device at its next pull', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const operator = await server.signIn('operator', '1111');
    const beta = await server.signIn('beta', '3333');
    const first = await pullAll(server.app, operator);
    const betaFirst = await pullAll(server.app, beta);
    expect((await importProducts(server, admin, 'sku,name,barcodes\nACME-TEA,Green tea,4006381333948\n')).statusCode).toBe(200);
    const next = await pullAll(server.app, operator, first.cursor);
    expect(next.changes).toEqual([
      { table: 'products', op: 'put', id: expect.any(String), row: expect.objectContaining({ sku: 'ACME-TEA', ownerId: 'own-a', barcodes: ['04006381333948', 'ACME-TEA'] }) },
    ]);
    expect(next.changes[0]!.row).not.toHaveProperty('unitWeightG');
    expect((await pullAll(server.app, beta, betaFirst.cursor)).changes).toEqual([]);
  });

  it('exports stock and the ledger as CSV, only for the caller’s owners, with formula cells made inert', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    expect((await importProducts(server, admin, 'sku,name,barcodes\nACME-ESP,"=HYPERLINK(""http://x"")",4006381333931\n')).statusCode).toBe(200);
    const operator = await server.signIn('operator', '1111');
    await push(server.app, operator, [mutation(1, 'pick', pickArgs('pln-1', 'loc-a01', 'prd-a1', 2))]);

    const supervisor = await server.signIn('supervisor', '2222');
    const stock = await server.app.inject({ method: 'GET', url: '/api/export/stock.csv', headers: supervisor });
    expect(stock.statusCode, stock.body).toBe(200);
    expect(stock.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(stock.headers['content-disposition']).toMatch(/^attachment; filename="stock-all-\d{4}-\d{2}-\d{2}\.csv"$/);
    const stockRows = parse(stock.body, { columns: true }) as Record<string, string>[];
    expect(stockRows).toEqual([
      { owner: 'ACME', sku: 'ACME-ESP', product: "'=HYPERLINK(\"http://x\")", bin: 'A-01-1', zone: 'A', lot: '', expiry: '', lpn: '', qty: '3' },
      { owner: 'ACME', sku: 'ACME-GRN', product: 'Grinder', bin: 'A-02-1', zone: 'A', lot: '', expiry: '', lpn: '', qty: '1' },
      { owner: 'BETA', sku: 'BETA-TNT', product: 'Two-person tent', bin: 'B-01-1', zone: 'A', lot: '', expiry: '', lpn: '', qty: '10' },
      // The two picked units, staged at the pack station.
      { owner: 'ACME', sku: 'ACME-ESP', product: "'=HYPERLINK(\"http://x\")", bin: 'PACK-1', zone: 'A', lot: '', expiry: '', lpn: '', qty: '2' },
    ]);

    const ledger = await server.app.inject({ method: 'GET', url: '/api/export/ledger.csv?owner=ACME', headers: supervisor });
    expect(ledger.statusCode, ledger.body).toBe(200);
    const ledgerRows = parse(ledger.body, { columns: true }) as Record<string, string>[];
    expect(ledgerRows.map((r) => [r['owner'], r['sku'], r['bin'], r['delta'], r['user']])).toEqual([
      ['ACME', 'ACME-ESP', 'A-01-1', '5', ''],
      ['ACME', 'ACME-GRN', 'A-02-1', '1', ''],
      // A pick: a negative number keeps its sign (only text cells are escaped).
      ['ACME', 'ACME-ESP', 'A-01-1', '-2', 'operator'],
      ['ACME', 'ACME-ESP', 'PACK-1', '2', 'operator'],
    ]);
    const pick = ledgerRows.find((r) => r['delta'] === '-2')!;
    expect(pick['mutation_id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(pick['device']).toBe(operator.deviceId);
    expect(pick['at']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const past = await server.app.inject({ method: 'GET', url: '/api/export/ledger.csv?to=2000-01-01', headers: supervisor });
    expect(parse(past.body, { columns: true })).toEqual([]);
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const recent = await server.app.inject({ method: 'GET', url: `/api/export/ledger.csv?from=${encodeURIComponent(hourAgo)}`, headers: supervisor });
    expect(parse(recent.body, { columns: true })).toHaveLength(5);

    const created = await server.app.inject({
      method: 'POST', url: '/api/admin/users', headers: admin,
      payload: { username: 'bsuper', displayName: 'Beta Supervisor', pin: '4444', role: 'supervisor', ownerIds: ['own-b'] },
    });
    expect(created.statusCode).toBe(201);
    const betaSupervisor = await server.signIn('bsuper', '4444');
    const betaStock = await server.app.inject({ method: 'GET', url: '/api/export/stock.csv', headers: betaSupervisor });
    expect((parse(betaStock.body, { columns: true }) as Record<string, string>[]).map((r) => r['sku'])).toEqual(['BETA-TNT']);
    const betaLedger = await server.app.inject({ method: 'GET', url: '/api/export/ledger.csv', headers: betaSupervisor });
    expect((parse(betaLedger.body, { columns: true }) as Record<string, string>[]).map((r) => r['owner'])).toEqual(['BETA']);
    expect((await server.app.inject({ method: 'GET', url: '/api/export/stock.csv?owner=ACME', headers: betaSupervisor })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/api/export/stock.csv', headers: operator })).statusCode).toBe(403);
  });

  it('streams a large products file in and imports every row', async () => {
    server = await startTestServer(backend);
    const admin = await server.signIn('admin', '9999');
    const lines = Number(process.env.MASTER_DATA_LINES ?? 100_000);
    const file = Readable.from((function* () {
      yield 'sku,name,barcodes,lot_tracked,unit_weight_g\n';
      for (let start = 0; start < lines; start += 1000) {
        let chunk = '';
        for (let i = start; i < Math.min(lines, start + 1000); i++) chunk += `BULK-${i},"Bulk item ${i}, boxed",${ean13(i)},${i % 2},${i % 500}\n`;
        yield chunk;
      }
    })());
    const started = Date.now();
    const response = await importProducts(server, admin, file);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ rows: lines, created: lines, updated: 0, unchanged: 0 });
    const { rows } = await server.db.query<{ n: number }>("select count(*)::int as n from sync_rows where tbl = 'products' and row->>'sku' like 'BULK-%'");
    expect(rows[0]!.n).toBe(lines);
    // MASTER_DATA_LINES=<n> runs another size and prints the time and the server's JS heap.
    if (process.env.MASTER_DATA_LINES) console.log(`${backend}: ${lines} lines in ${Date.now() - started} ms, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`);
  }, 120_000);
});
