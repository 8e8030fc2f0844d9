// The pack station's documents over HTTP: an order's packing slip (PDF) and each carton's content
// label (PDF, or ZPL for a Zebra printer), built from what the server holds. A carton is what the
// order's applied `pack` mutations put under one carton id; its SSCC is given once and kept.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ShipTo as IntakeShipTo } from '../../src/domain/order-intake';
import { ssccFor } from '../../src/domain/sscc';
import { Id, text } from '../../src/domain/text';
import { transactionWithRetry, type Db, type Queryable } from '../db/index';
import { cartonLabelPdf, cartonLabelZpl, packingSlipPdf, type CartonContent, type CartonLabel, type ShipTo } from '../documents/index';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';

/** The GS1 company prefix SSCCs are numbered under; GS1's own example prefix until a site sets its own. */
export const DEFAULT_GS1_COMPANY_PREFIX = '0614141';

const Failure = z.object({ error: z.string(), message: z.string() });
const notFound = () => new ApiError(404, { error: 'NOT_FOUND', message: 'Order not found.' });

interface OrderHead {
  id: string;
  owner_name: string;
  number: string;
  created_at: string;
  shipping_method: string | null;
  ship_to: IntakeShipTo | null;
  customer_name: string;
}

async function orderHead(db: Queryable, id: string, ownerIds: readonly string[] | null): Promise<OrderHead> {
  const { rows } = await db.query<OrderHead>(
    `select o.id, w.name as owner_name, o.number, o.created_at, o.shipping_method, o.ship_to, o.customer_name
     from orders o join owners w on w.id = o.owner_id where o.id = $1 and ($2::text[] is null or o.owner_id = any($2::text[]))`,
    [id, ownerIds],
  );
  if (!rows[0]) throw notFound();
  return rows[0];
}

/** The address as printed: street, then postcode and city, region, country. */
function shipToOf(order: OrderHead): ShipTo {
  const to = order.ship_to;
  if (!to) return { name: order.customer_name || '(no address: see the order)', lines: [] };
  const town = [to.postalCode, to.city].filter(Boolean).join(' ');
  return { name: to.name, company: to.company, lines: [to.address1, to.address2, town, to.province, to.country].filter((line): line is string => !!line) };
}

/** The order's cartons holding units, in label order (1, 2, …, slot-3), with what is in each and its weight. */
async function cartonsOf(db: Queryable, orderId: string): Promise<{ carton: string; weightGrams: number | null; contents: CartonContent[] }[]> {
  const { rows } = await db.query<{ carton: string; weight_grams: number | null; sku: string; qty: number }>(
    `select c.label as carton, c.weight_grams, p.sku, sum(l.qty)::int as qty
     from cartons c join carton_lines l on l.carton_id = c.id join products p on p.id = l.product_id
     where c.order_id = $1 and l.qty > 0
     group by c.label, c.weight_grams, p.sku`,
    [orderId],
  );
  const cartons = new Map<string, { carton: string; weightGrams: number | null; contents: CartonContent[] }>();
  for (const row of rows) {
    const carton = cartons.get(row.carton) ?? { carton: row.carton, weightGrams: row.weight_grams, contents: [] };
    carton.contents.push({ sku: row.sku, qty: row.qty });
    cartons.set(row.carton, carton);
  }
  const byLabel = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });
  for (const carton of cartons.values()) carton.contents.sort((a, b) => byLabel(a.sku, b.sku));
  return [...cartons.values()].sort((a, b) => byLabel(a.carton, b.carton));
}

/** The carton's SSCC, numbered once from a sequence and kept, so a label printed again is the same label. */
async function ssccOf(db: Db, orderId: string, carton: string, companyPrefix: string): Promise<string> {
  return transactionWithRetry(db, async (tx) => {
    const found = await tx.query<{ sscc: string }>('select sscc from carton_labels where order_id = $1 and carton = $2', [orderId, carton]);
    if (found.rows[0]) return found.rows[0].sscc;
    const { rows } = await tx.query<{ n: string }>(`select nextval('sscc_serial_seq')::text as n`);
    const sscc = ssccFor(companyPrefix, 0, BigInt(rows[0]!.n));
    await tx.query('insert into carton_labels (order_id, carton, sscc) values ($1, $2, $3) on conflict do nothing', [orderId, carton, sscc]);
    return (await tx.query<{ sscc: string }>('select sscc from carton_labels where order_id = $1 and carton = $2', [orderId, carton])).rows[0]!.sscc;
  });
}

/**
 * What one carton's label prints, read for a caller acting for `ownerIds` (null: every owner): the
 * label routes and the print jobs (print-job-routes) both print this. An order the caller cannot
 * see, or a carton nothing was packed into, is 404; the SSCC is numbered on first use and kept.
 */
export async function cartonLabelOf(
  db: Db,
  request: { orderId: string; carton: string; ownerIds: readonly string[] | null; weightKg: number; companyPrefix: string },
): Promise<CartonLabel> {
  const order = await orderHead(db, request.orderId, request.ownerIds);
  const cartons = await cartonsOf(db, order.id);
  const index = cartons.findIndex((c) => c.carton === request.carton);
  if (index < 0) throw new ApiError(404, { error: 'NOT_FOUND', message: `Carton ${request.carton} of order ${order.number} holds nothing packed yet.` });
  return {
    ownerName: order.owner_name,
    orderNumber: order.number,
    shipTo: shipToOf(order),
    cartonNumber: index + 1,
    cartonCount: cartons.length,
    // The weight the packer recorded when closing the carton; asked for otherwise.
    weightKg: cartons[index]!.weightGrams !== null ? cartons[index]!.weightGrams! / 1000 : request.weightKg,
    contents: cartons[index]!.contents,
    sscc: await ssccOf(db, order.id, request.carton, request.companyPrefix),
  };
}

export function sendFile(reply: FastifyReply, type: string, name: string, body: Buffer | string) {
  // Opened in the browser's viewer (and its print dialog), or saved under a name people recognise.
  return reply.type(type).header('content-disposition', `inline; filename="${name}"`).send(body);
}

/** `number` as a file name's part: letters, digits, dots, dashes and underscores. */
export const fileName = (number: string) => number.replace(/[^A-Za-z0-9._-]+/g, '');

export async function registerDocuments(app: FastifyInstance, db: Db, options: { companyPrefix?: string; timeZone: string }): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const companyPrefix = options.companyPrefix ?? DEFAULT_GS1_COMPANY_PREFIX;
  const dateOf = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: options.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

  api.get('/api/orders/:id/packing-slip.pdf', {
    schema: {
      summary: 'The order’s packing slip (PDF): its lines, what was packed, and its number as a barcode the pack station scans',
      tags: ['documents'],
      security: [{ bearer: [] }],
      params: z.object({ id: Id }),
      querystring: z.object({ pageSize: z.enum(['A4', 'Letter']).default('A4') }),
      response: { 401: Failure, 404: Failure },
    },
    onRequest: requireUser(db),
  }, async (request, reply) => {
    const order = await orderHead(db, request.params.id, authOf(request).actor.ownerIds);
    const { rows } = await db.query<{ sku: string; name: string; qty: number; packed_qty: number }>(
      `select coalesce(p.sku, l.sku, '') as sku, coalesce(p.name, l.name, '') as name, l.qty, l.packed_qty
       from order_lines l left join products p on p.id = l.product_id where l.order_id = $1 order by l.line_no, l.id`,
      [order.id],
    );
    const pdf = await packingSlipPdf({
      ownerName: order.owner_name,
      orderNumber: order.number,
      orderDate: dateOf(order.created_at),
      shipTo: shipToOf(order),
      shippingMethod: order.shipping_method ?? '',
      lines: rows.map((line) => ({ sku: line.sku, name: line.name, ordered: line.qty, packed: line.packed_qty })),
      cartonCount: Math.max(1, (await cartonsOf(db, order.id)).length),
      pageSize: request.query.pageSize,
    });
    return sendFile(reply, 'application/pdf', `packing-slip-${fileName(order.number)}.pdf`, pdf);
  });

  for (const format of ['pdf', 'zpl'] as const) {
    api.get(`/api/orders/:id/cartons/:carton/label.${format}`, {
      schema: {
        summary: format === 'pdf'
          ? 'A carton’s content label, 4×6 in, with its SSCC as GS1-128, as PDF'
          : 'A carton’s content label, 4×6 in, with its SSCC as GS1-128, as ZPL for a Zebra printer (send it to the printer’s port 9100)',
        tags: ['documents'],
        security: [{ bearer: [] }],
        params: z.object({ id: Id, carton: text().min(1).max(40) }),
        querystring: z.object({ weightKg: z.coerce.number().min(0).max(1000).default(0) }),
        response: { 401: Failure, 404: Failure },
      },
      onRequest: requireUser(db),
    }, async (request, reply) => {
      const label = await cartonLabelOf(db, {
        orderId: request.params.id,
        carton: request.params.carton,
        ownerIds: authOf(request).actor.ownerIds,
        weightKg: request.query.weightKg,
        companyPrefix,
      });
      const name = `label-${fileName(label.orderNumber)}-${label.cartonNumber}`;
      if (format === 'zpl') return sendFile(reply, 'application/zpl; charset=us-ascii', `${name}.zpl`, cartonLabelZpl(label));
      return sendFile(reply, 'application/pdf', `${name}.pdf`, await cartonLabelPdf(label));
    });
  }
}
