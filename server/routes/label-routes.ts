// Bin and LPN label sheets for the admin console (src/features/admin/label-sheets.tsx): a range of
// bins by code, or a batch of LPN numbers reserved now, as PDF on sheet or roll stock or as ZPL
// for a Zebra roll. Each barcode is Code 128 of exactly what the floor app reads: the bin code as
// stored, the LPN as `formatLpn` writes it (src/domain/workflows/receive-lpn).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../src/domain/api';
import { BinLabelsQuery, LABEL_STOCKS, LpnLabelsRequest, MAX_LABELS, type LabelFormat, type LabelStock } from '../../src/domain/label-sheets';
import { formatLpn } from '../../src/domain/workflows/receive-lpn';
import type { Actor } from '../../src/domain';
import type { Db } from '../db/index';
import { labelSheetPdf, labelSheetZpl, UnprintableLabelError, type SheetLabel } from '../documents/index';
import { fileName, sendFile } from './document-routes';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';
import { reserveLpnRange } from './lpn-routes';

/** Bin codes in the order people count them: A-2 before A-10, upper and lower case alike. */
const binOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

const badRequest = (message: string) => new ApiError(400, { error: 'BAD_REQUEST', message });

/** ZPL is for a roll in a Zebra printer; a sheet goes through a laser printer as PDF. */
function checkStock(format: LabelFormat, stock: LabelStock): void {
  if (format === 'zpl' && !LABEL_STOCKS[stock].zpl) {
    throw badRequest(`ZPL prints on a thermal roll (thermal-4x6 or thermal-2x1), not on ${stock} sheets: ask for the PDF instead.`);
  }
}

/** The bins whose codes fall from `from` to `to`, both included, in that order. Bins are every owner's. */
async function binsBetween(db: Db, from: string, to: string): Promise<SheetLabel[]> {
  if (binOrder.compare(from, to) > 0) throw badRequest(`${from} comes after ${to}: give the range's first bin first.`);
  const { rows } = await db.query<{ code: string; zone: string }>('select code, zone from locations');
  const bins = rows.filter((bin) => binOrder.compare(from, bin.code) <= 0 && binOrder.compare(bin.code, to) <= 0).sort((a, b) => binOrder.compare(a.code, b.code));
  if (bins.length === 0) throw new ApiError(404, { error: 'NOT_FOUND', message: `No bins from ${from} to ${to}. Check the codes against the bin map.` });
  if (bins.length > MAX_LABELS) throw badRequest(`${bins.length} bins from ${from} to ${to}: print at most ${MAX_LABELS} labels at a time.`);
  return bins.map((bin) => ({ code: bin.code, detail: `Zone ${bin.zone}` }));
}

/**
 * `count` new LPN numbers, reserved as whole blocks of the device ranges (lpn-routes) for the
 * admin's device, so no handheld ever makes one of them; the rest of the last block stays unused.
 */
async function reserveLpnNumbers(db: Db, actor: Actor, count: number): Promise<number[]> {
  const numbers: number[] = [];
  while (numbers.length < count) {
    const range = await reserveLpnRange(db, actor.deviceId, actor.userId);
    for (let n = range.start; n <= range.end && numbers.length < count; n++) numbers.push(n);
  }
  return numbers;
}

async function sendLabels(reply: FastifyReply, format: LabelFormat, labels: readonly SheetLabel[], stock: LabelStock, name: string) {
  try {
    if (format === 'zpl') return sendFile(reply, 'application/zpl; charset=us-ascii', `${name}.zpl`, labelSheetZpl(labels, stock));
    return sendFile(reply, 'application/pdf', `${name}.pdf`, await labelSheetPdf(labels, stock, name));
  } catch (error) {
    if (error instanceof UnprintableLabelError) throw badRequest(error.message);
    throw error;
  }
}

export async function registerLabelSheets(app: FastifyInstance, db: Db): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = requireUser(db, ['admin']);
  const stocks = Object.entries(LABEL_STOCKS).map(([id, stock]) => `${id}: ${stock.name}`).join('; ');

  for (const format of ['pdf', 'zpl'] as const) {
    api.get(`/api/admin/labels/bins.${format}`, {
      schema: {
        summary: format === 'pdf'
          ? 'Labels for a range of bins as PDF on sheet or roll stock (admin): each bin’s code as Code 128 and in large type'
          : 'Labels for a range of bins as ZPL for a Zebra printer with a thermal roll (admin): each bin’s code as Code 128 and in large type',
        description: `Bins from \`from\` to \`to\` by code, numbers in order (A-2 before A-10); at most ${MAX_LABELS}. Stocks: ${stocks}.`,
        tags: ['admin', 'documents'],
        security: [{ bearer: [] }],
        querystring: BinLabelsQuery,
        response: { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
      onRequest,
    }, async (request, reply) => {
      const { from, to, stock } = request.query;
      checkStock(format, stock);
      const labels = await binsBetween(db, from, to);
      return sendLabels(reply, format, labels, stock, `bins-${fileName(from)}-${fileName(to)}`);
    });
  }

  api.post('/api/admin/labels/lpns', {
    schema: {
      summary: 'Reserve a batch of new LPN numbers and answer their labels as PDF or ZPL (admin); every call reserves new numbers',
      description: `Numbers come from the same blocks devices reserve (POST /api/lpn-ranges), so no device ever makes one of them. Stocks: ${stocks}.`,
      tags: ['admin', 'documents'],
      security: [{ bearer: [] }],
      body: LpnLabelsRequest,
      response: { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 503: ErrorBody },
    },
    onRequest,
  }, async (request, reply) => {
    const { count, stock, format } = request.body;
    checkStock(format, stock);
    const numbers = await reserveLpnNumbers(db, authOf(request).actor, count);
    const labels = numbers.map((n) => ({ code: formatLpn(n) }));
    return sendLabels(reply, format, labels, stock, `lpn-${labels[0]!.code}-${labels.at(-1)!.code}`);
  });
}
