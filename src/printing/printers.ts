// The site's label printers as this device knows them: the list the server last gave (kept in
// `meta`, so a station chooses a printer offline too) and the one chosen on this device, which
// stays chosen across sign-outs: a station prints where it stands, whoever is signed in.
import type { PrinterSummary } from '../domain/printing';
import type { DockhandDb } from '../storage/db';
import { getMeta, setMeta } from '../storage/meta';
import type { ApiClient } from '../sync/api-client';
import { printersEndpoint } from '../sync/endpoints';

export interface KnownPrinters {
  printers: PrinterSummary[];
  /** The code chosen on this device; null before anyone chose. */
  chosen: string | null;
}

export async function readPrinters(db: DockhandDb): Promise<KnownPrinters> {
  return db.transaction('r', db.meta, async () => {
    const [printers, chosen] = await Promise.all([getMeta(db, 'printers'), getMeta(db, 'printer')]);
    return { printers: printers ?? [], chosen: chosen ?? null };
  });
}

/**
 * Lists the printers from the server and keeps the list. Throws the client's ApiError when it
 * cannot (offline, signed out); the kept list stands until an answer comes.
 */
export async function refreshPrinters(db: DockhandDb, api: ApiClient, token: string): Promise<PrinterSummary[]> {
  const { printers } = await api.request(printersEndpoint, { token });
  await setMeta(db, 'printers', printers);
  return printers;
}

export async function choosePrinter(db: DockhandDb, code: string): Promise<void> {
  await setMeta(db, 'printer', code);
}
