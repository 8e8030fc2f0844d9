// The label sheets' use-cases: a range of bins, or a batch of new LPN numbers, as a PDF to open or
// a ZPL file to send to a Zebra printer. Online only, like the rest of the admin console.
import type { LabelFormat, LabelStock } from '../../domain/label-sheets';
import type { DockhandDb } from '../../storage/db';
import { readSession } from '../../storage/session-repo';
import { ApiError, createApiClient } from '../../sync/api-client';
import { binLabelsPdfEndpoint, binLabelsZplEndpoint, lpnLabelsPdfEndpoint, lpnLabelsZplEndpoint } from '../../sync/label-endpoints';

export type LabelSheetResult = { ok: true; file: Blob; name: string } | { ok: false; message: string };

export interface LabelCommands {
  binLabels(request: { from: string; to: string; stock: LabelStock; format: LabelFormat }): Promise<LabelSheetResult>;
  /** Reserves `count` new LPN numbers on every call. */
  lpnLabels(request: { count: number; stock: LabelStock; format: LabelFormat }): Promise<LabelSheetResult>;
}

/** The admin's words for a sheet that did not come. */
function failure(error: unknown): string {
  if (!(error instanceof ApiError)) return 'The labels could not be made.';
  switch (error.kind) {
    case 'unreachable':
    case 'timeout':
    case 'protocol':
      return 'Printing labels needs the network: the server could not be reached. Try again when online.';
    case 'unauthorized':
      return 'Your session has ended. Sign in again to print labels.';
    default:
      return error.message;
  }
}

export function createLabelCommands(db: DockhandDb, network: { fetch?: typeof fetch; baseUrl?: string } = {}): LabelCommands {
  const api = createApiClient(network);
  async function run(make: (token: string) => Promise<Blob>, name: string): Promise<LabelSheetResult> {
    const session = await readSession(db);
    if (!session) return { ok: false, message: 'Sign in to print labels.' };
    try {
      return { ok: true, file: await make(session.token), name };
    } catch (error) {
      return { ok: false, message: failure(error) };
    }
  }
  return {
    binLabels: ({ from, to, stock, format }) =>
      run((token) => api.request(format === 'zpl' ? binLabelsZplEndpoint : binLabelsPdfEndpoint, { token, query: { from, to, stock } }), `bins-${from}-${to}.${format}`),
    lpnLabels: ({ count, stock, format }) =>
      run((token) => api.request(format === 'zpl' ? lpnLabelsZplEndpoint : lpnLabelsPdfEndpoint, { token, body: { count, stock, format } }), `lpn-labels.${format}`),
  };
}
