// An orders file: one row per order line, the order's details repeated on each of its lines, in
// any order. Rows are staged in a temporary table as the file streams in; once it is read, each
// order is checked whole (its lines agree, its SKUs are the owner's products) and new orders are
// written a thousand at a time. A file with any error imports nothing; the same file twice
// creates nothing twice.
import { z } from 'zod';
import { IsoDate } from '../../src/domain/entities';
import { OrderIntake, isExpress, type OrderIntakeInput } from '../../src/domain/order-intake';
import { optionalCell, requiredCell } from '../csv/cells';
import type { CsvImport } from '../csv/import-csv';
import type { CsvColumns, CsvRowError } from '../csv/read-csv';
import type { Queryable } from '../db/index';
import { contentHash, IntakeRefused, takeInOrder } from './intake';

export const ORDER_COLUMNS = {
  number: { names: ['order_number', 'order', 'order_no', 'number'], required: true },
  orderDate: { names: ['order_date', 'ordered_at', 'date'], required: true },
  shipBy: { names: ['ship_by', 'ship_by_date', 'due_date'] },
  shippingMethod: { names: ['shipping_method', 'ship_method', 'service'] },
  customerName: { names: ['customer_name', 'customer'] },
  name: { names: ['ship_to_name', 'recipient', 'name'], required: true },
  company: { names: ['ship_to_company', 'company'] },
  address1: { names: ['ship_to_address1', 'ship_to_address', 'address1', 'address'], required: true },
  address2: { names: ['ship_to_address2', 'address2'] },
  city: { names: ['ship_to_city', 'city'], required: true },
  province: { names: ['ship_to_province', 'ship_to_state', 'province', 'state'] },
  postalCode: { names: ['ship_to_postal_code', 'ship_to_zip', 'postal_code', 'zip', 'postcode'] },
  country: { names: ['ship_to_country', 'country', 'country_code'], required: true },
  phone: { names: ['ship_to_phone', 'phone'] },
  sku: { names: ['sku', 'item_sku', 'item'], required: true },
  qty: { names: ['quantity', 'qty', 'units'], required: true },
} satisfies CsvColumns<string>;
type OrderColumn = keyof typeof ORDER_COLUMNS;

/** The order's details, which every line of one order must repeat alike. */
const HEADER_FIELDS = ['orderDate', 'shipBy', 'shippingMethod', 'customerName', 'name', 'company', 'address1', 'address2', 'city', 'province', 'postalCode', 'country', 'phone'] as const;

/** Orders written per statement once the file has been read. */
const ORDERS_PER_WRITE = 1000;

const dateCell = z.string().transform((value, context) => {
  const cell = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(cell) && !Number.isNaN(Date.parse(`${cell}T00:00:00Z`))) return `${cell}T00:00:00Z`;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(cell) && !Number.isNaN(Date.parse(cell.replace(' ', 'T')))) {
    return new Date(cell.replace(' ', 'T')).toISOString();
  }
  context.addIssue({ code: 'custom', message: `"${value}" is not a date: write it as YYYY-MM-DD (or YYYY-MM-DDTHH:MM with a time)` });
  return z.NEVER;
});

const shipByCell = z.string().transform((value, context) => {
  const cell = value.trim();
  if (cell === '') return null;
  if (IsoDate.safeParse(cell).success && !Number.isNaN(Date.parse(`${cell}T00:00:00Z`))) return cell;
  context.addIssue({ code: 'custom', message: `"${value}" is not a date: write it as YYYY-MM-DD` });
  return z.NEVER;
});

export const OrderCsvRow = z.object({
  number: requiredCell(64),
  orderDate: dateCell,
  shipBy: shipByCell,
  shippingMethod: optionalCell(100),
  customerName: optionalCell(200),
  name: requiredCell(200),
  company: optionalCell(200),
  address1: requiredCell(200),
  address2: optionalCell(200),
  city: requiredCell(100),
  province: optionalCell(100),
  postalCode: optionalCell(20),
  country: requiredCell(2).toUpperCase().regex(/^[A-Z]{2}$/, 'Write the country as its two-letter code (GB, US, DE…)'),
  phone: optionalCell(40),
  sku: requiredCell(100),
  qty: z.string().transform((value, context) => {
    const cell = value.trim();
    if (/^\d+$/.test(cell) && Number(cell) >= 1 && Number(cell) <= 100_000) return Number(cell);
    context.addIssue({ code: 'custom', message: `"${value}" is not a quantity: write a whole number from 1 to 100000` });
    return z.NEVER;
  }),
});
export type OrderCsvRow = z.infer<typeof OrderCsvRow>;

export interface OrderImportCounts {
  rows: number;
  orders: { created: number; updated: number; unchanged: number };
}

const STAGE = 'csv_order_rows';

/** The import of an orders file for `ownerId`; `counts` is filled in as it goes. */
export function orderImport(ownerId: string, counts: OrderImportCounts): Omit<CsvImport<OrderColumn, OrderCsvRow>, 'stream'> {
  let staged = false;
  return {
    columns: ORDER_COLUMNS,
    row: OrderCsvRow,
    apply: async (tx, lines) => {
      if (!staged) {
        await tx.query(`create temporary table ${STAGE} (line integer primary key, number text not null, product_id text, row jsonb not null) on commit drop`);
        staged = true;
      }
      counts.rows += lines.length;
      await tx.query(
        `insert into ${STAGE} (line, number, row) select (r->>'line')::int, r->'row'->>'number', r->'row' from jsonb_array_elements($1::jsonb) r`,
        [JSON.stringify(lines)],
      );
      return [];
    },
    finish: async (tx) => {
      if (!staged) return [];
      await tx.query(`create index on ${STAGE} (number)`);
      const errors = [...(await disagreeingLines(tx)), ...(await unknownSkus(tx, ownerId))];
      if (errors.length > 0) return errors;
      return writeOrders(tx, ownerId, counts);
    },
  };
}

/** Lines whose order details differ from the order's first line. */
async function disagreeingLines(tx: Queryable): Promise<CsvRowError[]> {
  const differs = HEADER_FIELDS.map((field) => `r.row->'${field}' is distinct from f.row->'${field}'`).join(' or ');
  const { rows } = await tx.query<{ line: number; first: number; number: string; row: Record<string, unknown>; first_row: Record<string, unknown> }>(
    `with firsts as (select distinct on (number) number, line, row from ${STAGE} order by number, line)
     select r.line, f.line as first, r.number, r.row, f.row as first_row from ${STAGE} r join firsts f on f.number = r.number
     where r.line <> f.line and (${differs}) order by r.line limit 1000`,
  );
  return rows.map((r) => {
    const field = HEADER_FIELDS.find((f) => JSON.stringify(r.row[f] ?? null) !== JSON.stringify(r.first_row[f] ?? null))!;
    const column = ORDER_COLUMNS[field].names[0]!;
    return { line: r.line, column, message: `Order ${r.number} has a different ${column} than on line ${r.first}; every line of one order repeats the same order details.` };
  });
}

/** Lines whose SKU is none of the owner's products (matched as written, then in any case). */
async function unknownSkus(tx: Queryable, ownerId: string): Promise<CsvRowError[]> {
  await tx.query(
    `update ${STAGE} s set product_id = coalesce(
       (select id from products p where p.owner_id = $1 and p.sku = s.row->>'sku'),
       (select id from products p where p.owner_id = $1 and upper(p.sku) = upper(s.row->>'sku') order by id limit 1))`,
    [ownerId],
  );
  const { rows } = await tx.query<{ line: number; sku: string }>(`select line, row->>'sku' as sku from ${STAGE} where product_id is null order by line limit 1000`);
  return rows.map((r) => ({ line: r.line, column: 'sku', message: `SKU ${r.sku} is not a product of this owner. Import it first (products file), or fix the SKU.` }));
}

interface Staged {
  number: string;
  lines: { line: number; productId: string; row: OrderCsvRow }[];
}

/** Writes the file's orders, a page of them at a time: new ones in bulk, changed ones one by one. */
async function writeOrders(tx: Queryable, ownerId: string, counts: OrderImportCounts): Promise<CsvRowError[]> {
  const errors: CsvRowError[] = [];
  let after = '';
  for (;;) {
    const { rows } = await tx.query<{ number: string; lines: Staged['lines'] }>(
      `select number, jsonb_agg(jsonb_build_object('line', line, 'productId', product_id, 'row', row) order by line) as lines
       from ${STAGE} where number in (select distinct number from ${STAGE} where number > $1 order by number limit ${ORDERS_PER_WRITE})
       group by number order by number`,
      [after],
    );
    if (rows.length === 0) return errors;
    after = rows.at(-1)!.number;
    const existing = await tx.query<{ number: string; source: string; content_hash: string | null }>(
      'select number, source, content_hash from orders where owner_id = $1 and number = any($2::text[])',
      [ownerId, rows.map((r) => r.number)],
    );
    const known = new Map(existing.rows.map((r) => [r.number, r]));
    const fresh: { order: Staged; intake: OrderIntake; hash: string }[] = [];
    for (const order of rows) {
      const firstLine = order.lines[0]!.line;
      const parsed = OrderIntake.safeParse(intakeOf(order));
      if (!parsed.success) {
        errors.push({ line: firstLine, column: null, message: `Order ${order.number}: ${parsed.error.issues.map((i) => `${i.path.join('/')} ${i.message}`).join('; ')}` });
        continue;
      }
      const hash = contentHash(parsed.data, false);
      const stored = known.get(order.number);
      if (!stored) fresh.push({ order, intake: parsed.data, hash });
      else if (stored.source !== 'csv') {
        errors.push({ line: firstLine, column: 'order_number', message: `Order number ${order.number} already belongs to an order of this owner from ${stored.source}.` });
      } else if (stored.content_hash === hash) counts.orders.unchanged++;
      else {
        try {
          await takeInOrder(tx, { ownerId, source: 'csv', integrationId: null }, parsed.data);
          counts.orders.updated++;
        } catch (error) {
          if (!(error instanceof IntakeRefused)) throw error;
          errors.push({ line: firstLine, column: 'order_number', message: error.message });
        }
      }
    }
    await insertOrders(tx, ownerId, fresh);
    counts.orders.created += fresh.length;
    // PGlite answers in microtasks: without a macrotask between pages, a large file would hold
    // the event loop (health checks, queued requests) for the whole write.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function intakeOf(order: Staged): OrderIntakeInput {
  const { row } = order.lines[0]!;
  return {
    number: order.number,
    externalId: null,
    orderedAt: row.orderDate,
    updatedAt: null,
    shipBy: row.shipBy,
    shippingMethod: row.shippingMethod,
    customerName: row.customerName ?? row.name,
    shipTo: { name: row.name, company: row.company, address1: row.address1, address2: row.address2, city: row.city, province: row.province, postalCode: row.postalCode, country: row.country, phone: row.phone },
    lines: order.lines.map(({ row: line }) => ({ externalId: null, sku: line.sku, barcode: null, name: null, qty: line.qty, requiresShipping: true })),
  };
}

/** New orders, open for allocation, and their lines: two statements for the page. */
async function insertOrders(tx: Queryable, ownerId: string, fresh: { order: Staged; intake: OrderIntake; hash: string }[]): Promise<void> {
  if (fresh.length === 0) return;
  const ids = await tx.query<{ id: string }>(`select 'ord-' || substr(md5(random()::text || clock_timestamp()::text || n::text), 1, 20) as id from generate_series(1, $1::int) n`, [fresh.length]);
  const orders = fresh.map(({ intake, hash }, i) => ({
    id: ids.rows[i]!.id,
    owner_id: ownerId,
    number: intake.number,
    source: 'csv',
    status: 'open',
    customer_name: intake.customerName,
    created_at: intake.orderedAt,
    ship_by: intake.shipBy,
    shipping_method: intake.shippingMethod,
    express: isExpress(intake.shippingMethod),
    ship_to: intake.shipTo,
    content_hash: hash,
  }));
  await tx.query(
    `insert into orders (id, owner_id, number, source, status, customer_name, created_at, ship_by, shipping_method, express, ship_to, content_hash)
     select id, owner_id, number, source, status, customer_name, created_at, ship_by, shipping_method, express, ship_to, content_hash
     from jsonb_populate_recordset(null::orders, $1::jsonb)`,
    [JSON.stringify(orders)],
  );
  const lines = fresh.flatMap(({ order }, i) =>
    order.lines.map(({ productId, row }, n) => ({
      id: `${orders[i]!.id}-${n + 1}`,
      order_id: orders[i]!.id,
      owner_id: ownerId,
      product_id: productId,
      qty: row.qty,
      picked_qty: 0,
      packed_qty: 0,
      line_no: n + 1,
      sku: row.sku,
      requires_shipping: true,
    })),
  );
  await tx.query(
    `insert into order_lines (id, order_id, owner_id, product_id, qty, picked_qty, packed_qty, line_no, sku, requires_shipping)
     select id, order_id, owner_id, product_id, qty, picked_qty, packed_qty, line_no, sku, requires_shipping
     from jsonb_populate_recordset(null::order_lines, $1::jsonb)`,
    [JSON.stringify(lines)],
  );
}
