// The label commands against the in-process server: a PDF of bins, LPN labels as ZPL, and a
// refusal named in the server's words.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../../test/server/harness';
import { serverFetch } from '../../../test/support/server-fetch';
import { DockhandDb } from '../../storage/db';
import { saveSession } from '../../storage/session-repo';
import { createLabelCommands } from './label-commands';

describe('label commands against the server', () => {
  it('bring back a PDF of bins and LPN labels as ZPL, and name a refusal', async () => {
    const server = await startTestServer('pglite');
    try {
      const db = new DockhandDb(`labels-${crypto.randomUUID()}`);
      const admin = await server.signIn('admin', '9999');
      await saveSession(db, { token: admin.authorization.replace('Bearer ', ''), user: { id: 'u-admin', username: 'admin', displayName: 'Ada Admin', role: 'admin', ownerIds: null }, signedInAt: 0 });
      const commands = createLabelCommands(db, { fetch: serverFetch(server.app) });
      const bins = await commands.binLabels({ from: 'A-01-1', to: 'B-01-1', stock: 'a4-21', format: 'pdf' });
      expect(bins).toMatchObject({ ok: true, name: 'bins-A-01-1-B-01-1.pdf' });
      expect(bins.ok && bins.file.type).toBe('application/pdf');
      const lpns = await commands.lpnLabels({ count: 2, stock: 'thermal-2x1', format: 'zpl' });
      expect(lpns.ok && (await lpns.file.text()).match(/\^XA/g)).toHaveLength(2);
      expect(await commands.binLabels({ from: 'A-01-1', to: 'B-01-1', stock: 'a4-21', format: 'zpl' })).toEqual({ ok: false, message: expect.stringContaining('ZPL prints on a thermal roll') });
    } finally {
      await server.app.close();
    }
  });
});
