// The contract every mutation rule is written against. A rule reads the state it needs through
// `Reader` (the server backs it with locked SQL rows, the device with Dexie tables), decides, and
// answers with effects (data) or a rejection. Rules never write: whoever called them persists the
// effects, so the server and the device apply exactly the same change.
import type { Rejection } from '../errors';
import type { LocationType, PickLine, Role, RowOf, StockRow, TableName } from '../entities';

export interface Actor {
  userId: string;
  deviceId: string;
  role: Role;
  /** The owners this user may touch; null means every owner. */
  ownerIds: readonly string[] | null;
  /** The user's name as colleagues know it, where a row records who did something. */
  displayName?: string;
}

export interface StockQuery {
  productId: string;
  locationId: string;
  /** `undefined` matches any lot; `null` matches only rows without a lot. */
  lot?: string | null;
  /** `undefined` matches any LPN; `null` matches only loose stock. */
  lpn?: string | null;
}

export interface Reader {
  get<T extends TableName>(table: T, id: string): Promise<RowOf<T> | undefined>;
  /** Child rows of a document: lines of a receipt, order, pick list or return; an order's cartons and their lines. */
  children<T extends 'receiptLines' | 'orderLines' | 'pickLines' | 'returnLines' | 'cartons' | 'cartonLines'>(
    table: T,
    parentId: string,
  ): Promise<RowOf<T>[]>;
  /**
   * Stock rows with a positive quantity matching the query, in FEFO order: earliest expiry
   * first, rows without expiry last, then by lot (rows without lot last), then LPN and id.
   * Rules still sort defensively (`sortFefo`), so a backend that cannot order is only slower.
   */
  stock(query: StockQuery): Promise<StockRow[]>;
  /**
   * Every stock row with a positive quantity at a location, any product and any owner (capacity
   * checks, LPNs): the one read not limited to the actor's owners, so its rows are counted, never
   * named in a message. Every other read sees only the actor's owners (owner-scope.ts).
   */
  stockAt(locationId: string): Promise<StockRow[]>;
  /** The pick lines, on any pick list, that serve an order (to find where its units were staged). */
  pickLinesOfOrder(orderId: string): Promise<PickLine[]>;
  /**
   * Open pick lines (of lists not cancelled) that will take `productId` from `locationId`: units
   * promised to orders, which a move must leave where they are.
   */
  openPickLinesAt(locationId: string, productId: string): Promise<PickLine[]>;
  /** Locations of a type, in walk order (e.g. the damaged or quarantine location). */
  locationsOfType(type: LocationType): Promise<RowOf<'locations'>[]>;
}

export interface RuleContext {
  actor: Actor;
  reader: Reader;
  /** Today's date at the warehouse, `YYYY-MM-DD`, for expiry checks. */
  today: string;
  /**
   * The time the mutation is applied, ISO 8601, stamped on rows such as `shippedAt`. The server
   * passes its own clock; the device's provisional value is replaced when the row syncs back.
   */
  now: string;
}

/** A change to one stock balance; the server also appends it to the movement ledger. */
export interface StockEffect {
  kind: 'stock';
  ownerId: string;
  locationId: string;
  productId: string;
  lot: string | null;
  expiry: string | null;
  lpn: string | null;
  delta: number;
}

/** A document row replaced by its new version. */
export interface PutEffect<T extends TableName = TableName> {
  kind: 'put';
  table: T;
  row: RowOf<T>;
}

export type Effect = StockEffect | PutEffect;

export type Outcome = { ok: true; effects: Effect[] } | { ok: false; rejection: Rejection };

export interface Rule<A> {
  apply(args: A, ctx: RuleContext): Promise<Outcome>;
}
