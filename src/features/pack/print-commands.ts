// The pack station's printing use-cases: choose a printer (the site's list, kept for offline),
// queue a carton's label (src/printing/print-queue sends it), follow an order's jobs, and fetch
// the order's packing slip to open in the browser's PDF viewer. Everything but the slip works
// offline; the slip is the server's document and needs the network.
import type { PrinterSummary } from '../../domain/printing';
import type { DockhandDb, PrintJob } from '../../storage/db';
import { readSession } from '../../storage/session-repo';
import { ApiError, createApiClient } from '../../sync/api-client';
import { packingSlipEndpoint } from '../../sync/endpoints';
import { cancelJob, enqueueLabel, readOrderJobs, type LabelRequest } from '../../printing/print-queue';
import { choosePrinter, readPrinters, refreshPrinters, type KnownPrinters } from '../../printing/printers';

export type SlipOutcome = { ok: true; pdf: Blob } | { ok: false; message: string };

/** What the print controls need done; tests may pass their own. */
export interface PrintCommands {
  /** The printers as last listed and the one chosen on this device: a live query. */
  readPrinters(): Promise<KnownPrinters>;
  /** Lists the printers again when the device can reach the server; the kept list stands otherwise. */
  refreshPrinters(): Promise<PrinterSummary[] | null>;
  choosePrinter(code: string): Promise<void>;
  /** Queues the label; it prints as soon as the server and the printer can be reached. */
  printLabel(request: LabelRequest): Promise<PrintJob>;
  /** The order's print jobs on this device, oldest first: a live query. */
  readJobs(orderId: string): Promise<PrintJob[]>;
  /** Takes a label that has not printed off the queue. */
  cancelJob(id: string): Promise<boolean>;
  /** The order's packing slip as PDF, or why it could not be had. */
  packingSlip(orderId: string): Promise<SlipOutcome>;
}

export interface PrintNetwork {
  fetch?: typeof fetch;
  baseUrl?: string;
}

/** The packer's words for a slip that did not come. */
function slipFailure(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The packing slip could not be opened.';
  switch (error.kind) {
    case 'unreachable':
    case 'timeout':
    case 'protocol':
      return 'The packing slip needs the network: the server could not be reached. Try again when online.';
    case 'unauthorized':
      return 'Your session has ended. Sign in again to open the packing slip.';
    default:
      return error.message;
  }
}

export function createPrintCommands(db: DockhandDb, network: PrintNetwork = {}): PrintCommands {
  const api = createApiClient({ fetch: network.fetch, baseUrl: network.baseUrl });
  return {
    readPrinters: () => readPrinters(db),
    refreshPrinters: async () => {
      const session = await readSession(db);
      if (!session) return null;
      try {
        return await refreshPrinters(db, api, session.token);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        return null;
      }
    },
    choosePrinter: (code) => choosePrinter(db, code),
    printLabel: (request) => enqueueLabel(db, request),
    readJobs: (orderId) => readOrderJobs(db, orderId),
    cancelJob: (id) => cancelJob(db, id),
    packingSlip: async (orderId) => {
      const session = await readSession(db);
      if (!session) return { ok: false, message: 'Sign in to open the packing slip.' };
      try {
        return { ok: true, pdf: await api.request(packingSlipEndpoint, { token: session.token, params: { id: orderId } }) };
      } catch (error) {
        return { ok: false, message: slipFailure(error) };
      }
    },
  };
}
