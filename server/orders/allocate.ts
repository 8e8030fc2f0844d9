// Allocation for real: one owner's waiting orders promised to stock and batched into a wave of
// pick lists, in one transaction. Correct across API servers: one allocator per owner at a time
// (an advisory lock in the database), and the stock rows it promises are locked and counted again
// before anything is written, so a pick, a move or a second intake racing it can never leave two
// orders promised the same unit or a list for stock that is gone.
import {
  allocateOrders,
  renumberLists,
  type AllocatableOrder,
  type AllocationResult,
  type Location,
  type OrderLine,
  type PickLine,
  type Product,
  type StockRow,
} from '../../src/domain';
import { stockId } from '../../src/domain/entities';
import { transactionWithRetry, type Db, type Queryable } from '../db/index';
import { bulkPut, fromSql } from '../db/tables';
import { publishOrders } from './store';
import { recordOrdersStatus } from '../floor/floor-events';

export interface AllocationSettings {
  /** Orders of one owner on one pick list at most. */
  ordersPerList: number;
  /** Pick lines on one list at most (an order with more gets a list of its own). */
  linesPerList: number;
  /** Waiting orders one run (one transaction) takes, most urgent first. */
  ordersPerRun: number;
}

export interface AllocationRun {
  ownerId: string;
  /** Waiting orders this run looked at (at most `ORDERS_PER_RUN`). */
  considered: number;
  allocated: number;
  backordered: number;
  waveId: string | null;
  pickListIds: string[];
}

/**
 * Waiting orders one run takes, most urgent first. A run is one transaction, and on PGlite one
 * stretch of the server's thread: a backlog of thousands is allocated page by page, the server
 * answering scans in between (bench/intake.ts measured 15.6 s for 28,623 orders in one run).
 */
export const ORDERS_PER_RUN = 1000;

export const DEFAULT_ALLOCATION: AllocationSettings = { ordersPerList: 5, linesPerList: 40, ordersPerRun: ORDERS_PER_RUN };

/** Runs of one owner that found their promised stock changed under them, tried again at most. */
const MAX_RECOUNTS = 5;

/** Location types picked from (the pure allocator keeps the same list). */
const PICKABLE_TYPES = ['pick_face', 'storage'];

/**
 * Allocates the waiting (open or backordered) orders of `ownerId`, the most urgent
 * `settings.ordersPerRun` after the first `skip` of them (those an earlier page of this pass left waiting).
 * Orders filled whole go onto new pick lists of one new wave and to the devices; the others
 * become backorders with what they are missing, and are tried again on the next pass.
 */
export async function allocateOwner(
  db: Db,
  ownerId: string,
  options: { today: string; now: string; settings?: AllocationSettings; skip?: number },
): Promise<AllocationRun> {
  const settings = options.settings ?? DEFAULT_ALLOCATION;
  return transactionWithRetry(db, async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('dockhand:allocate'), hashtext($1))`, [ownerId]);
    for (let attempt = 1; ; attempt++) {
      const input = await readWaiting(tx, ownerId, options.skip ?? 0, settings.ordersPerRun);
      const none: AllocationRun = { ownerId, considered: input.orders.length, allocated: 0, backordered: 0, waveId: null, pickListIds: [] };
      if (input.orders.length === 0) return none;
      const staging = await stagingLocation(tx);
      if (!staging) return none;
      const result = allocateOrders({
        ...input,
        stagingLocationId: staging,
        today: options.today,
        createdAt: options.now,
        ordersPerList: settings.ordersPerList,
        linesPerList: settings.linesPerList,
      });
      if (await stillFree(tx, result)) return write(tx, ownerId, input.orders, result);
      if (attempt === MAX_RECOUNTS) throw new Error(`Stock of owner ${ownerId} kept changing under allocation; it runs again later.`);
    }
  });
}

interface Waiting {
  orders: AllocatableOrder[];
  orderLines: OrderLine[];
  products: Product[];
  stock: StockRow[];
  locations: Location[];
  openPickLines: PickLine[];
}

async function readWaiting(tx: Queryable, ownerId: string, skip: number, limit: number): Promise<Waiting> {
  // The order of `comparePriority` (src/domain/allocation.ts), so a page is the most urgent.
  const orderRows = await tx.query(
    `select * from orders where owner_id = $1 and status in ('open', 'backordered')
     order by ship_by asc nulls last, express desc, created_at, id offset $2 limit $3`,
    [ownerId, skip, limit],
  );
  const orders = orderRows.rows.map((row): AllocatableOrder => ({ ...fromSql('orders', row), shipBy: (row.ship_by as string | null) ?? null, express: row.express === true }));
  if (orders.length === 0) return { orders, orderLines: [], products: [], stock: [], locations: [], openPickLines: [] };
  const lineRows = await tx.query(`select * from order_lines where order_id = any($1::text[])`, [orders.map((o) => o.id)]);
  const orderLines = lineRows.rows.map((row) => fromSql('orderLines', row));
  const productIds = [...new Set(orderLines.map((l) => l.productId).filter((id): id is string => id !== null))];
  const products = (await tx.query(`select * from products where id = any($1::text[]) and owner_id = $2`, [productIds, ownerId])).rows.map((row) => fromSql('products', row));
  const stock = (
    await tx.query(
      `select s.* from stock s join locations l on l.id = s.location_id
       where s.product_id = any($1::text[]) and s.owner_id = $2 and s.lpn is null and s.qty > 0 and l.type = any($3::text[])`,
      [productIds, ownerId, PICKABLE_TYPES],
    )
  ).rows.map((row) => fromSql('stock', row));
  const locationIds = [...new Set(stock.map((s) => s.locationId))];
  const locations = (await tx.query(`select * from locations where id = any($1::text[])`, [locationIds])).rows.map((row) => fromSql('locations', row));
  const openPickLines = (await promisedOn(tx, { productIds })).map(
    (p, i): PickLine => ({
      id: `promised-${i}`, pickListId: 'promised', ownerId, orderId: 'promised', orderLineId: 'promised',
      productId: p.product_id, locationId: p.location_id, lot: p.lot, qty: p.left, pickedQty: 0, shortQty: 0,
      shortReason: null, status: 'open', walkSeq: 0,
    }),
  );
  return { orders, orderLines, products, stock, locations, openPickLines };
}

/** Units still owed to open pick lines (of lists not cancelled), per bin, product and lot. */
async function promisedOn(tx: Queryable, where: { productIds: string[] }): Promise<{ location_id: string; product_id: string; lot: string | null; left: number }[]> {
  const { rows } = await tx.query<{ location_id: string; product_id: string; lot: string | null; left: number }>(
    `select p.location_id, p.product_id, p.lot, sum(p.qty - p.picked_qty - p.short_qty)::int as left
     from pick_lines p join pick_lists l on l.id = p.pick_list_id
     where p.status = 'open' and l.status <> 'cancelled' and p.product_id = any($1::text[])
     group by p.location_id, p.product_id, p.lot having sum(p.qty - p.picked_qty - p.short_qty) > 0`,
    [where.productIds],
  );
  return rows;
}

/**
 * Locks the rows this run promises and counts them again: a pick or a move that committed after
 * they were read has changed them, and the run starts over. Once locked, they stay as counted
 * until this transaction commits.
 */
async function stillFree(tx: Queryable, result: AllocationResult): Promise<boolean> {
  if (result.reservations.length === 0) return true;
  const ids = result.reservations.map((r) => r.stockId);
  const locked = await tx.query<{ id: string; qty: number }>('select id, qty from stock where id = any($1::text[]) order by id for update', [ids]);
  const qty = new Map(locked.rows.map((r) => [r.id, r.qty]));
  const promised = new Map<string, number>();
  for (const p of await promisedOn(tx, { productIds: [...new Set(result.reservations.map((r) => r.productId))] })) {
    promised.set(stockId(p.location_id, p.product_id, p.lot, null), p.left);
  }
  return result.reservations.every((r) => r.qty <= (qty.get(r.stockId) ?? 0) - (promised.get(r.stockId) ?? 0));
}

/** The pack location picked units are staged at: the first on the walk. */
async function stagingLocation(tx: Queryable): Promise<string | null> {
  const { rows } = await tx.query<{ id: string }>(`select id from locations where type = 'pack' order by walk_seq, code limit 1`);
  return rows[0]?.id ?? null;
}

async function write(tx: Queryable, ownerId: string, waiting: readonly AllocatableOrder[], drafted: AllocationResult): Promise<AllocationRun> {
  const allocatedIds = new Set(drafted.orders.map((o) => o.id));
  // What each order that could not be filled is missing, kept for supervisors and the API.
  const missing = new Map<string, { orderLineId: string; productId: string; requested: number; available: number; reason: string }[]>();
  for (const s of drafted.shortfalls) {
    const list = missing.get(s.orderId) ?? [];
    list.push({ orderLineId: s.orderLineId, productId: s.productId, requested: s.requested, available: s.allocated, reason: s.reason });
    missing.set(s.orderId, list);
  }
  if (missing.size > 0) {
    await recordOrdersStatus(tx, [...missing.keys()], 'backordered');
    await tx.query(
      `update orders o set status = 'backordered', shortfall = m.shortfall
       from (select key as id, value as shortfall from jsonb_each($1::jsonb)) m where o.id = m.id`,
      [JSON.stringify(Object.fromEntries(missing))],
    );
  }
  const backordered = waiting.filter((o) => !allocatedIds.has(o.id)).length;
  if (drafted.pickLists.length === 0) return { ownerId, considered: waiting.length, allocated: 0, backordered, waveId: null, pickListIds: [] };

  const numbers = await tx.query<{ n: number }>(`select nextval('pick_list_number_seq')::int as n from generate_series(1, $1::int)`, [drafted.pickLists.length]);
  const result = renumberLists(drafted, numbers.rows.map((r) => r.n));
  const wave = await tx.query<{ n: number }>(`select nextval('wave_number_seq')::int as n`);
  const waveNumber = `W-${String(wave.rows[0]!.n).padStart(6, '0')}`;
  const waveId = `wav-${waveNumber.slice(2)}`;
  await tx.query(`insert into waves (id, owner_id, number, status) values ($1, $2, $3, 'released')`, [waveId, ownerId, waveNumber]);
  await bulkPut(tx, 'pickLists', result.pickLists);
  await bulkPut(tx, 'pickLines', result.pickLines);
  await tx.query('update pick_lists set wave_id = $1 where id = any($2::text[])', [waveId, result.pickLists.map((l) => l.id)]);
  await recordOrdersStatus(tx, [...allocatedIds], 'allocated');
  await tx.query(`update orders set status = 'allocated', shortfall = null where id = any($1::text[])`, [[...allocatedIds]]);
  await publishOrders(tx, [...allocatedIds]);
  return { ownerId, considered: waiting.length, allocated: allocatedIds.size, backordered, waveId, pickListIds: result.pickLists.map((l) => l.id) };
}

/** Owners with orders waiting for stock or for their first allocation. */
export async function ownersWaiting(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ owner_id: string }>(`select distinct owner_id from orders where status in ('open', 'backordered')`);
  return rows.map((r) => r.owner_id).sort();
}
