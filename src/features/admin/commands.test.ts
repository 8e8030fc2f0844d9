// The admin console's commands against the real server in-process (PGlite): a refused CSV file's
// rows come back by line and column, a carton type is saved and listed, an API key comes back
// once, a supervisor is refused, and offline nothing is asked of the server.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server/harness';
import { serverFetch } from '../../../test/support/server-fetch';
import { signedInDevices } from '../../../test/support/signed-in-device';
import { ADMIN_OFFLINE, createAdminCommands } from './commands';

let server: TestServer;
const signedIn = signedInDevices(() => server, 'admin');

afterEach(async () => {
  await server.app.close();
});

describe('admin commands', () => {
  it('imports CSV with its refused rows, saves carton types and issues an API key, as an admin', async () => {
    server = await startTestServer('pglite');
    const commands = createAdminCommands(await signedIn('admin', '9999'), { fetch: serverFetch(server.app), isOnline: () => true, newId: () => 'ctn-test' });

    const refused = await commands.importCsv('products', 'ACME', new Blob(['sku,name,barcodes\nT-1,Mug,036000291452\nT-2,Cup,036000291453\n']));
    expect(refused).toMatchObject({ ok: false, problemCount: 1, problems: [{ line: 3, column: 'barcodes', message: expect.stringContaining('036000291453') }] });
    const imported = await commands.importCsv('products', 'ACME', new Blob(['sku,name,barcodes\nT-1,Mug,036000291452\n']));
    expect(imported).toEqual({ ok: true, value: { rows: 1, summary: '1 row read: 1 created, 0 updated, 0 unchanged' } });
    const stock = await commands.exportCsv('stock', 'ACME');
    expect(stock.ok && (await stock.value.text()).split('\n')[0]).toContain('sku');

    const saved = await commands.saveCartonType(null, { ownerId: 'own-a', code: 'box-t', name: 'Test box', lengthMm: 100, widthMm: 100, heightMm: 100, maxWeightGrams: null });
    expect(saved).toMatchObject({ ok: true, value: { id: 'ctn-test', code: 'BOX-T' } });
    const listed = await commands.listCartonTypes('own-a');
    expect(listed.ok && listed.value.map((type) => type.code)).toEqual(['BOX-A', 'BOX-T']);

    const issued = await commands.addIntegration({ owner: 'own-a', name: 'ERP', type: 'api' });
    expect(issued.ok && issued.value.apiKey).toMatch(/^dhk_/);
    const again = await commands.listIntegrations();
    expect(JSON.stringify(again)).not.toContain(issued.ok ? issued.value.apiKey : 'x');
  });

  it('tells a supervisor the console is not theirs, and asks nothing while offline', async () => {
    server = await startTestServer('pglite');
    const db = await signedIn('supervisor', '2222');
    expect(await createAdminCommands(db, { fetch: serverFetch(server.app), isOnline: () => true }).listOwners()).toEqual({ ok: false, message: 'This needs the admin role.' });
    let fetched = 0;
    const offline = createAdminCommands(db, { fetch: (...args) => ((fetched += 1), serverFetch(server.app)(...args)), isOnline: () => false });
    expect(await offline.listUsers()).toEqual({ ok: false, message: ADMIN_OFFLINE });
    expect(fetched).toBe(0);
  });
});
