// The device's one IndexedDB database. Every table the client keeps lives in this class; a schema
// change is a new `this.version(n)` block below the last one, never an edit to an existing block.
import { Dexie } from 'dexie';
import type { Table } from 'dexie';
import type { MutationEnvelope, MutationType } from '../domain/mutations';
import type { Rejection } from '../domain/errors';
import { TABLES } from '../domain/entities';
import { SCHEMA_2_TABLES } from '../domain/sync-protocol';
import type { RowOf, Role, TableName } from '../domain/entities';
import type { Actor } from '../domain/rules/types';
import type { PrinterSummary } from '../domain/printing';
import { wholeBaseObserved, writeBaseRows, type BaseBlock } from './rows';
import { viewVersion } from './view-version';

/** The signed-in user as the server described them at sign-in. */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** Owners (clients) this user may work for; null for every owner. */
  ownerIds: string[] | null;
}

/** What survives reloads and offline restarts until the user signs out. */
export interface StoredSession {
  token: string;
  user: SessionUser;
  /** Epoch ms of the sign-in, for display and diagnostics only. */
  signedInAt: number;
}

/** The device's small singletons, one row per key. Add a key here to store a new one. */
export interface MetaValues {
  /**
   * This device's stable id: created once, never changed, not even by sign-out; replaced only
   * when the server refuses it (DEVICE_TAKEN) while nothing waits to be sent.
   */
  deviceId: string;
  /** The secret the server issued this device id at its first sign-in; sent with every sign-in. */
  deviceSecret: string;
  session: StoredSession;
  /** The pull cursor, written in the same transaction as the page it follows. */
  cursor: string;
  /**
   * Tables whose rows the next pull asks for in full beside its changes (sync-protocol
   * SYNC_BACKFILL_HEADER): the ones an upgrade taught the app, whose older rows its cursor passed.
   */
  backfill: string[];
  /** The highest sequence number whose server result this device has taken in. */
  resultsAfter: number;
  /** The sequence number the next mutation of this device gets. */
  nextSeq: number;
  /** Epoch ms of the last pull that reached the end of the feed. */
  lastSyncAt: number;
  /** The warehouse's IANA time zone as the server last handed it out: "today" for expiry rules offline. */
  timeZone: string;
  /** True once the first full pull of the user's scope has completed. */
  initialLoadDone: boolean;
  /** Replaced by every transaction that writes what a submission decides on (storage/view-version). */
  viewVersion: string;
  /** The label printer chosen on this device (its code): a station prints where it stands. */
  printer: string;
  /** The site's printers as last listed by the server, so a station chooses one offline too. */
  printers: PrinterSummary[];
}

export type MetaKey = keyof MetaValues;

export type MetaRow = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];

/** A mutation waiting for the server: the envelope it is pushed as, plus what it changed here. */
export interface OutboxEntry extends MutationEnvelope {
  /**
   * `pending`: not yet answered; `applied`: the server applied it and its rows arrive with the
   * next pull, until then it stays in the view.
   */
  status: 'pending' | 'applied';
  /** `table/id` (see `rowKey`) of every row its local effects changed, for rebuilding the view. */
  touched: string[];
  /** Who acted: the view is rebuilt with the same actor the mutation was decided for. */
  actor: Actor;
}

/** The server's version of a row that pending mutations changed locally (null: no such row). */
export interface ShadowRow {
  key: string;
  table: TableName;
  id: string;
  row: Record<string, unknown> | null;
}

/** A mutation the server rejected: shown under "Needs attention" until the user resolves it. */
export interface Problem {
  mutationId: string;
  seq: number;
  type: string;
  args: Record<string, unknown>;
  rejection: Rejection;
  clientTime: string;
  /** Epoch ms the rejection reached this device. */
  at: number;
  status: 'open' | 'resolved';
}

/** Per pick list, the order the picker has chosen (lines skipped go to the end). Device-local. */
export interface PickOrder {
  pickListId: string;
  lineIds: string[];
}

/**
 * A damage photo taken while receiving, kept on the device until the uploader has sent it.
 * Stored right after the receive mutation that recorded the damage committed, keyed by its id.
 */
export interface Photo {
  mutationId: string;
  receiptId: string;
  /** The image as captured; null once uploaded (the server keeps it, the device frees the space). */
  blob: Blob | null;
  /** `image/jpeg`, `image/png` or `image/webp`. */
  type: string;
  size: number;
  /** 0 waiting, 1 uploaded (IndexedDB cannot index booleans). */
  uploaded: 0 | 1;
  /** Epoch ms the photo was taken. */
  takenAt: number;
  /** Failed upload attempts so far, for diagnostics. */
  attempts: number;
  /** Why the server refused the photo for good (never retried); absent while it may be sent. */
  refused?: string;
}

/**
 * A range of LPN numbers the server reserved for this device (POST /api/lpn-ranges); `next` is the
 * number the next new LPN gets. Device-local, kept across sign-outs: the range is the device's.
 */
export interface LpnRangeRow {
  start: number;
  end: number;
  prefix: string;
  next: number;
}

/**
 * A carton label the pack station asked to print (POST /api/print-jobs), kept on the device until
 * the server has printed it, and a while after (src/printing/print-queue). Device-local.
 */
export interface PrintJob {
  /** Made once on the device: the server prints a job id once, however often it is sent. */
  id: string;
  /** The printer's code. */
  printer: string;
  orderId: string;
  carton: string;
  copies: number;
  /** `queued` until printed; `failed` once the server refused it for good (`lastError` says why). */
  status: 'queued' | 'printed' | 'failed';
  /** Epoch ms it was asked for: jobs go out in this order. */
  createdAt: number;
  /** Sends that came back without an outcome (no network, the printer unreachable). */
  attempts: number;
  /** What the last attempt met, in words for the packer. */
  lastError?: string;
  /** Epoch ms it printed or failed for good. */
  finishedAt?: number;
}

/** The synced tables, named as in the domain's TABLES. */
export const SYNCED_TABLES = Object.keys(TABLES) as TableName[];

/** The key of a row across tables, as stored in `shadow.key` and `OutboxEntry.touched`. */
export function rowKey(table: TableName, id: string): string {
  return `${table}/${id}`;
}

/** Every table a mutation or a pull page may read or write: one transaction scope for both. */
export function viewScope(db: DockhandDb) {
  return writeScope(db, SYNCED_TABLES);
}

/** The scope of a read of `tables` (storage/rows reads): their overlay tables and `base`. */
export function rowScope(db: DockhandDb, tables: readonly TableName[]) {
  return [db.base, ...tables.map((name) => db.table(name))];
}

/** The rows of `tables`, with the outbox, the shadows and `meta` a write to them records in. */
function writeScope(db: DockhandDb, tables: readonly TableName[]) {
  return [...rowScope(db, tables), db.outbox, db.shadow, db.meta];
}

/**
 * The view tables a mutation type's rule may read and its effects may write, where that is known
 * to be fewer than all: a scan's transaction then neither waits for nor blocks work on the others
 * (a pull page, another screen's live query). A type not listed takes every view table. Listing a
 * type means reading its rule and every helper it calls: a table missing here makes its
 * submissions fail ("not part of transaction").
 */
const MUTATION_TABLES: Partial<Record<MutationType, readonly TableName[]>> = {
  // rules/pick.ts (with labels.ts for the wrong-bin and wrong-item messages), unpick.ts, short-pick.ts.
  // `orders` names the order of a cancelled line in the refusal (pick.ts `loadPickLine`).
  pick: ['pickLines', 'pickLists', 'orderLines', 'orders', 'stock', 'locations', 'products'],
  unpick: ['pickLines', 'pickLists', 'orderLines', 'orders', 'stock', 'locations'],
  'short-pick': ['pickLines', 'pickLists', 'orders'],
  // rules/pack.ts: the order, its lines and its picks (a lot's check), its cartons and their
  // lines, the owner (typed quantities) and products (serials, messages); close-carton.ts and
  // repack.ts read the same, close-carton the carton types too.
  pack: ['orders', 'orderLines', 'pickLines', 'products', 'owners', 'cartons', 'cartonLines'],
  'close-carton': ['orders', 'orderLines', 'products', 'cartons', 'cartonLines', 'cartonTypes'],
  repack: ['orders', 'products', 'cartons', 'cartonLines'],
  // rules/claim-pick-list.ts: the list alone.
  'claim-pick-list': ['pickLists'],
};

/** The transaction scope of submitting a mutation of `type`: its tables, the outbox, shadows and meta. */
export function mutationScope(db: DockhandDb, type: MutationType) {
  return writeScope(db, MUTATION_TABLES[type] ?? SYNCED_TABLES);
}

export type SyncedTables = { [T in TableName]: Table<RowOf<T>, string> };

/** The synced tables version 7 added. */
const CARTON_TABLES: readonly TableName[] = ['cartonTypes', 'cartons', 'cartonLines'];

export class DockhandDb extends Dexie {
  meta!: Table<MetaRow, MetaKey>;
  outbox!: Table<OutboxEntry, number>;
  shadow!: Table<ShadowRow, string>;
  problems!: Table<Problem, string>;
  pickOrder!: Table<PickOrder, string>;
  photos!: Table<Photo, string>;
  lpnRanges!: Table<LpnRangeRow, number>;
  printJobs!: Table<PrintJob, string>;
  /** The server's rows in blocks (storage/rows); the synced tables below hold local changes only. */
  base!: Table<BaseBlock, [TableName, string]>;
  owners!: SyncedTables['owners'];
  products!: SyncedTables['products'];
  locations!: SyncedTables['locations'];
  stock!: SyncedTables['stock'];
  lpns!: SyncedTables['lpns'];
  receipts!: SyncedTables['receipts'];
  receiptLines!: SyncedTables['receiptLines'];
  orders!: SyncedTables['orders'];
  orderLines!: SyncedTables['orderLines'];
  pickLists!: SyncedTables['pickLists'];
  pickLines!: SyncedTables['pickLines'];
  shipments!: SyncedTables['shipments'];
  cartonTypes!: SyncedTables['cartonTypes'];
  cartons!: SyncedTables['cartons'];
  cartonLines!: SyncedTables['cartonLines'];
  returns!: SyncedTables['returns'];
  returnLines!: SyncedTables['returnLines'];

  /**
   * Bumped whenever this connection wrote the view in a transaction without `meta`, which cannot
   * change `meta.viewVersion` (storage/view-version): what a submission knew is then stale too.
   */
  unstampedWrites = 0;

  constructor(name = 'dockhand') {
    // Strict durability: a write is flushed to disk before its transaction reports complete, so
    // what the screen confirmed survives a crash or a dead battery.
    super(name, { chromeTransactionDurability: 'strict' });
    this.use(viewVersion(SYNCED_TABLES, () => (this.unstampedWrites += 1)));
    this.use(wholeBaseObserved);

    this.version(1).stores({
      meta: 'key',
    });
    // The user's slice of the warehouse (the view: server rows plus pending mutations), the
    // outbox, the server's versions of rows pending mutations changed, and rejections.
    this.version(2).stores({
      outbox: 'seq, &id, status',
      shadow: 'key',
      problems: 'mutationId, seq, status',
      pickOrder: 'pickListId',
      owners: 'id',
      products: 'id, ownerId, *barcodes',
      locations: 'id, &code, type',
      stock: 'id, [productId+locationId], locationId, productId',
      lpns: 'id, locationId',
      receipts: 'id, ownerId, status, number',
      receiptLines: 'id, receiptId',
      orders: 'id, ownerId, status, number',
      orderLines: 'id, orderId',
      pickLists: 'id, ownerId, status',
      pickLines: 'id, pickListId, orderId',
      shipments: 'id, orderId',
      returns: 'id, rma, orderId, status',
      returnLines: 'id, returnId',
    });
    // Receiving: damage photos waiting for upload, and the device's reserved LPN number ranges.
    this.version(3).stores({
      photos: 'mutationId, receiptId, uploaded',
      lpnRanges: 'start',
    });
    // Indexes nothing queries cost on every row of a first load (100,000 stock rows, 50,000
    // products): products by owner and stock by product alone (the [productId+locationId] index
    // answers that) are gone. Keep an index only where the app queries it.
    this.version(4).stores({
      products: 'id, *barcodes',
      stock: 'id, [productId+locationId], locationId',
    });
    // The server's rows move into blocks (storage/rows, decision 0008): the per-row tables keep
    // only what local mutations wrote. A device upgrading keeps its rows, now in `base`; the
    // pending mutations' effects are re-applied over them at the next rebuild, as after a pull.
    this.version(5)
      .stores({ base: '[table+first], *ix' })
      .upgrade(async (tx) => {
        // The synced tables of this version: those added later (cartons, version 7) do not exist yet.
        for (const name of SYNCED_TABLES.filter((table) => !CARTON_TABLES.includes(table))) {
          const rows = (await tx.table(name).toArray()) as RowOf<TableName>[];
          if (rows.length === 0) continue;
          await writeBaseRows(tx.table('base'), name, new Map(rows.map((row) => [row.id, row])));
          await tx.table(name).clear();
        }
      });
    // Printing from the pack station: carton labels waiting for the network or the printer.
    this.version(6).stores({ printJobs: 'id, status' });
    // Packing: the owners' carton types and each order's cartons and their contents. Like every
    // synced table since version 5, server rows live in `base`; these hold local mutations' rows.
    this.version(7)
      .stores({
        cartonTypes: 'id, code',
        cartons: 'id, orderId',
        cartonLines: 'id, orderId',
      })
      // The release before this one pulled without these tables (sync-protocol SYNC_SCHEMA): its
      // cursor is past rows it was never sent. The next pull asks for them in full beside its
      // changes; everything else it holds stays, so the view is the same offline.
      .upgrade(async (tx) => {
        if (await tx.table('meta').get('cursor')) await tx.table('meta').put({ key: 'backfill', value: [...SCHEMA_2_TABLES] });
      });
  }
}

/** The app's database. Tests use their own `new DockhandDb(name)` or clear this one. */
export const db = new DockhandDb();
