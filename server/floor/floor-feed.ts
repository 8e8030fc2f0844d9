// One API server's side of the supervisors' live feed: it LISTENs for floor_events notifications
// (every server hears every commit, whichever server made it), reads the new rows once per wake-up
// and writes each to the connected streams whose owners may see it. Its only state is the streams
// and how far it has read: a restarted server starts from the table's end, and a stream that comes
// back resumes from its Last-Event-ID out of the table.
import type { FloorEventKind } from '../../src/domain/floor-events';
import { BackgroundPasses } from '../background-passes';
import type { Db } from '../db/index';
import { CHANNEL_SQL } from './floor-events';

/** Streams open at once per server at most; one more is answered 503 (a load balancer tries another). */
export const MAX_STREAMS = 500;
/** Rows read per query. */
const PAGE = 1000;
/** A row committed behind an older transaction still running is read again after this long. */
const SETTLE_RETRY_MS = 25;
/** How often the table is read when no notification can arrive (listening failed, or cannot). */
const POLL_MS = 1000;
/** The listening connection is opened again after this long at first, doubling up to LISTEN_RETRY_MAX_MS. */
const LISTEN_RETRY_MS = 1000;
const LISTEN_RETRY_MAX_MS = 30_000;
/** A read that failed (the database is away) is tried again after this long. */
const READ_RETRY_MS = 1000;
/** Bytes a stream may have waiting unsent; a client that far behind is dropped and resumes later. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Where a stream's text goes: the response body. */
export interface StreamSink {
  write(text: string): unknown;
  end(): void;
  /** Bytes written and not yet taken by the client. */
  readonly writableLength: number;
}

/** A place in the table, in the order rows commit (decision 0001): the transaction id, then the row id. */
interface Position {
  xid: bigint;
  id: number;
}

const after = (a: Position, b: Position) => a.xid > b.xid || (a.xid === b.xid && a.id > b.id);

interface EventRow {
  id: number;
  xid: string;
  owner_id: string | null;
  device_owner_ids: string[] | null;
  kind: string;
  payload: Record<string, unknown>;
  created_at: Date | string;
}

interface Stream {
  /** The owners the supervisor acts for; null: every owner. */
  owners: readonly string[] | null;
  sink: StreamSink;
  /** Rows up to here were sent already (a stream resumed ahead of this server's reading). */
  sentThrough: Position | null;
  /** The client went. */
  closed: boolean;
}

interface Joining extends Stream {
  /** Resume after this row; null: a new stream, or one whose id is no longer kept (`expired`). */
  resumeAfter: Position | null;
  reset: 'new' | 'expired' | null;
}

export interface FloorFeedOptions {
  maxStreams?: number;
  heartbeatMs: number;
  log: { warn(details: Record<string, unknown>, message: string): void };
}

/**
 * Whether a supervisor of `owners` (null: every owner) may see the event: one owner's event by that
 * owner's supervisors; a device's by those whose owners hold all of the device user's (the devices
 * list's rule, server/sync/device-health.ts).
 */
export function visibleTo(row: Pick<EventRow, 'owner_id' | 'device_owner_ids'>, owners: readonly string[] | null): boolean {
  if (owners === null) return true;
  if (row.owner_id !== null) return owners.includes(row.owner_id);
  return row.device_owner_ids !== null && row.device_owner_ids.every((owner) => owners.includes(owner));
}

/** An event as Server-Sent Events text. */
const eventText = (id: number, kind: string, data: object) => `id: ${id}\nevent: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;

export class FloorFeed {
  private readonly streams = new Set<Stream>();
  private joining: Joining[] = [];
  /** How far this server has read; null until the first pass. */
  private position: Position | null = null;
  private readonly passes = new BackgroundPasses(() => this.pass(), { sweepMs: 0 });
  private started = false;
  private stopped = false;
  private listening = false;
  private stopListening: (() => Promise<void>) | null = null;
  private listenRetryMs = LISTEN_RETRY_MS;
  private timer: NodeJS.Timeout | null = null;
  private lastHeartbeat = Date.now();
  private readonly maxStreams: number;

  constructor(
    private readonly db: Db,
    private readonly options: FloorFeedOptions,
  ) {
    this.maxStreams = options.maxStreams ?? MAX_STREAMS;
  }

  /** Streams open now (and being opened). */
  get streamCount(): number {
    return this.streams.size + this.joining.length;
  }

  /**
   * Opens a stream for a supervisor of `owners`, resuming after `lastEventId` when it is still kept;
   * null when this server has MAX_STREAMS open. `close` when the client goes.
   */
  async open(owners: readonly string[] | null, lastEventId: string | null, sink: StreamSink): Promise<{ close(): void } | null> {
    if (this.stopped || this.streamCount >= this.maxStreams) return null;
    let resumeAfter: Position | null = null;
    if (lastEventId !== null && /^\d{1,18}$/.test(lastEventId)) {
      const { rows } = await this.db.query<{ xid: string }>('select xid::text as xid from floor_events where id = $1', [lastEventId]);
      if (rows[0]) resumeAfter = { xid: BigInt(rows[0].xid), id: Number(lastEventId) };
    }
    const joining: Joining = { owners, sink, sentThrough: null, closed: false, resumeAfter, reset: resumeAfter ? null : lastEventId === null ? 'new' : 'expired' };
    // For EventSource clients: how long to wait before reconnecting.
    sink.write('retry: 1000\n\n');
    this.joining.push(joining);
    this.start();
    this.passes.request();
    return {
      close: () => {
        joining.closed = true;
        this.streams.delete(joining);
        this.joining = this.joining.filter((j) => j !== joining);
      },
    };
  }

  /** Ends every stream (their clients resume on another server) and stops listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const stream of [...this.streams, ...this.joining]) stream.sink.end();
    this.streams.clear();
    this.joining = [];
    await this.passes.stop();
    await this.stopListening?.();
    this.stopListening = null;
  }

  /** Starts listening and the heartbeat timer, on the first stream. */
  private start(): void {
    if (this.started) return;
    this.started = true;
    this.timer = setInterval(() => this.tick(), POLL_MS);
    this.timer.unref();
    void this.listen();
  }

  private async listen(): Promise<void> {
    if (this.stopped || !this.db.listen) return;
    try {
      const { rows } = await this.db.query<{ channel: string }>(`select ${CHANNEL_SQL} as channel`);
      this.stopListening = await this.db.listen(rows[0]!.channel, () => this.passes.request(), (error) => this.lost(error));
      if (this.stopped) {
        await this.stopListening();
        return;
      }
      this.listening = true;
      this.listenRetryMs = LISTEN_RETRY_MS;
      // Whatever committed while nobody listened.
      this.passes.request();
    } catch (error) {
      this.lost(error);
    }
  }

  /** The listening connection broke, or could not open: polled meanwhile, opened again with backoff. */
  private lost(error: unknown): void {
    this.listening = false;
    this.stopListening = null;
    if (this.stopped) return;
    this.options.log.warn({ err: error, retryInMs: this.listenRetryMs }, 'floor events: not listening; polling until listening again');
    setTimeout(() => void this.listen(), this.listenRetryMs).unref();
    this.listenRetryMs = Math.min(this.listenRetryMs * 2, LISTEN_RETRY_MAX_MS);
  }

  private tick(): void {
    if (!this.listening) this.passes.request();
    if (Date.now() - this.lastHeartbeat < this.options.heartbeatMs) return;
    this.lastHeartbeat = Date.now();
    // A comment: proxies and the client's idle timer see the stream alive; a dead client shows as a failed write.
    for (const stream of this.streams) this.send(stream, ': heartbeat\n\n');
    // A notification lost in a reconnect is caught here at the latest.
    this.passes.request();
  }

  /** Reads what committed since the last pass, sends it, then brings joining streams up to here. */
  private async pass(): Promise<void> {
    try {
      this.position ??= await this.end();
      await this.readNew();
      const joining = this.joining;
      this.joining = [];
      for (const stream of joining) await this.join(stream);
    } catch (error) {
      this.options.log.warn({ err: error }, 'floor events: reading failed; trying again');
      setTimeout(() => this.passes.request(), READ_RETRY_MS).unref();
    }
  }

  /** The last row every transaction before it has finished: where a new server starts reading. */
  private async end(): Promise<Position> {
    const { rows } = await this.db.query<{ xid: string; id: number }>(
      `select xid::text as xid, id from floor_events where xid < pg_snapshot_xmin(pg_current_snapshot()) order by xid desc, id desc limit 1`,
    );
    return rows[0] ? { xid: BigInt(rows[0].xid), id: Number(rows[0].id) } : { xid: 0n, id: 0 };
  }

  private async readNew(): Promise<void> {
    const from = this.position!;
    // Only rows below the oldest running transaction are final in (xid, id) order: one committed
    // behind a transaction still running waits for it (and is read again shortly).
    const { rows } = await this.db.query<EventRow & { settled: boolean }>(
      `select f.id, f.xid::text as xid, f.owner_id, f.device_owner_ids, f.kind, f.payload, f.created_at,
              f.xid < h.bound as settled
       from floor_events f, (select pg_snapshot_xmin(pg_current_snapshot()) as bound) h
       where (f.xid, f.id) > ($1::text::xid8, $2::bigint) order by f.xid, f.id limit $3`,
      [from.xid.toString(), from.id, PAGE],
    );
    const settled = rows.filter((row) => row.settled);
    for (const row of settled) {
      const at: Position = { xid: BigInt(row.xid), id: Number(row.id) };
      for (const stream of this.streams) this.deliver(stream, row, at);
      this.position = at;
    }
    if (settled.length < rows.length) setTimeout(() => this.passes.request(), SETTLE_RETRY_MS).unref();
    else if (rows.length === PAGE) this.passes.request();
  }

  /** A joining stream: what it missed since its id (up to where this server has read), then live. */
  private async join(stream: Joining): Promise<void> {
    if (stream.closed) return;
    const position = this.position!;
    let cursor = stream.resumeAfter;
    while (cursor && after(position, cursor)) {
      const { rows } = await this.db.query<EventRow>(
        `select id, xid::text as xid, owner_id, device_owner_ids, kind, payload, created_at from floor_events
         where (xid, id) > ($1::text::xid8, $2::bigint) and (xid, id) <= ($3::text::xid8, $4::bigint)
         order by xid, id limit $5`,
        [cursor.xid.toString(), cursor.id, position.xid.toString(), position.id, PAGE],
      );
      for (const row of rows) this.deliver(stream, row, null);
      cursor = rows.length === PAGE ? { xid: BigInt(rows.at(-1)!.xid), id: Number(rows.at(-1)!.id) } : null;
    }
    // A stream resumed from a row this server has not read yet must not get the rows before it again.
    if (stream.resumeAfter && after(stream.resumeAfter, position)) stream.sentThrough = stream.resumeAfter;
    const ready = stream.reset === null ? eventText(position.id, 'ready', {}) : eventText(position.id, 'reset', { reason: stream.reset });
    if (!stream.closed && this.send(stream, ready)) this.streams.add(stream);
  }

  private deliver(stream: Stream, row: EventRow, at: Position | null): void {
    if (at && stream.sentThrough) {
      if (!after(at, stream.sentThrough)) return;
      stream.sentThrough = null;
    }
    // The row the table starts with marks a position; it is nothing that happened.
    if (row.kind === 'start' || !visibleTo(row, stream.owners)) return;
    const data = { ...row.payload, at: new Date(row.created_at).toISOString() };
    this.send(stream, eventText(Number(row.id), row.kind as FloorEventKind, data));
  }

  /** Writes to a stream; a client too far behind is dropped (it resumes from its last id). */
  private send(stream: Stream, text: string): boolean {
    if (stream.sink.writableLength > MAX_BUFFERED_BYTES) {
      this.streams.delete(stream);
      stream.sink.end();
      return false;
    }
    stream.sink.write(text);
    return true;
  }
}
