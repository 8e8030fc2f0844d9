// Delivers the fulfillment outbox (outbox.ts): just after a ship is pushed, and on a timer that
// picks up retries and whatever a stopped server left. Each notice is POSTed, signed, until its
// receiver answers 2xx; retries back off to an hour apart and never give up. A notice is claimed
// with a lease before it is sent, so two API servers never send one at the same time; a server
// that stops mid-send leaves it to go again once the lease ends — at least once, and the receiver
// tells a repeat by its Idempotency-Key.
import { createHmac } from 'node:crypto';
import { BackgroundPasses, type BackgroundOptions } from '../background-passes';
import type { Db } from '../db/index';
import { keyringFor, type Keyring } from '../integrations/secret-box';
import { callbackTarget } from './callbacks';
import type { FulfillmentPayload } from './outbox';

/** The topic header every notice carries. */
export const FULFILLMENT_TOPIC = 'fulfillments/create';
/** How long a receiver has to answer. */
export const SEND_TIMEOUT_MS = 10_000;
/** How long a claimed notice belongs to the server sending it: well past the send's timeout. */
export const LEASE_MS = 60_000;
/** The first retry's delay; it doubles with each failed attempt. */
export const FIRST_RETRY_MS = 30_000;
/** The longest wait between attempts, and the pace for a receiver that refuses (a 4xx). */
export const MAX_RETRY_MS = 60 * 60 * 1000;
/** Notices claimed at once, and sent side by side. */
const BATCH = 10;
/** Characters of a failure (a receiver's answer, a network error) kept for supervisors. */
const MAX_ERROR_LENGTH = 300;

export interface NoticeRunnerOptions extends Partial<BackgroundOptions> {
  /** The HTTP client; the global fetch by default. */
  fetch?: typeof fetch;
  /** The clock deciding what is due and when to retry. */
  now?: () => Date;
  /** Jitter's source, in [0, 1). */
  random?: () => number;
  log?: {
    warn(details: Record<string, unknown>, message: string): void;
    error(details: Record<string, unknown>, message: string): void;
  };
}

/** How often due notices are looked for unless `sweepMs` says otherwise (0: never; tests call `runDue`). */
const SWEEP_MS = 15_000;

/** What one pass did. */
export interface DeliveryPass {
  delivered: number;
  failed: number;
  /** Nobody left to tell: the callback was cleared or the integration revoked. */
  cancelled: number;
}

interface Claimed {
  id: string;
  attempts: number;
  integrationId: string;
  idempotencyKey: string;
  payload: FulfillmentPayload;
}

/** A failure that says the receiver refuses the notice as sent, rather than could not take it now. */
type FailureKind = 'transient' | 'refused';

/**
 * The wait before the next attempt after `attempts` attempts: 30 s doubling to an hour, or an hour
 * at once when the receiver refuses; jittered to between half and all of it, so notices that
 * failed together do not return together. A Retry-After longer than that is honoured, to the hour.
 */
export function retryDelay(attempts: number, kind: FailureKind, random: () => number, retryAfterMs: number | null = null): number {
  const base = kind === 'refused' ? MAX_RETRY_MS : Math.min(FIRST_RETRY_MS * 2 ** Math.min(Math.max(attempts - 1, 0), 20), MAX_RETRY_MS);
  return Math.min(Math.max(base * (0.5 + random() / 2), retryAfterMs ?? 0), MAX_RETRY_MS);
}

/** Claims the notices due at $1, moving each out of reach until its lease ends ($3). */
const CLAIM = `
  with due as (
    select id from fulfillment_notices where status = 'pending' and next_attempt_at <= $1::timestamptz
    order by next_attempt_at, id limit $2 for update skip locked
  )
  update fulfillment_notices n set attempts = n.attempts + 1, last_attempt_at = $1::timestamptz, next_attempt_at = $3::timestamptz
  from due where n.id = due.id
  returning n.id::text as id, n.attempts, n.integration_id, n.idempotency_key, n.payload`;

export class NoticeRunner {
  private readonly passes: BackgroundPasses;
  private readonly clock: () => Date;
  private readonly send: typeof fetch;
  private readonly random: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: NoticeRunnerOptions = {},
  ) {
    this.clock = options.now ?? (() => new Date());
    this.send = options.fetch ?? ((input, init) => fetch(input, init));
    this.random = options.random ?? Math.random;
    this.passes = new BackgroundPasses(() => this.pass(), { sweepMs: options.sweepMs ?? SWEEP_MS, background: options.background });
  }

  /** Starts the sweep timer, and a first pass for what waited while no server ran. */
  start(): void {
    this.passes.start();
  }

  /** Asks for a pass over the due notices (after a ship); requests coalesce. */
  request(): void {
    this.passes.request();
  }

  /** Runs what was requested, and resolves once nothing is wanted and nothing runs. */
  settle(): Promise<void> {
    return this.passes.settle();
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  private async pass(): Promise<void> {
    try {
      await this.runDue();
    } catch (error) {
      // The notices stay pending: the next request or sweep tries again.
      this.options.log?.error({ err: error }, 'fulfillment notices could not be sent; they wait for the next pass');
    }
  }

  /** Sends every notice due at `now`, as if the clock read `now`; each is tried once. */
  async runDue(now: Date = this.clock()): Promise<DeliveryPass> {
    const pass: DeliveryPass = { delivered: 0, failed: 0, cancelled: 0 };
    let keyring: Keyring | undefined;
    for (;;) {
      const { rows } = await this.db.query<{ id: string; attempts: number; integration_id: string; idempotency_key: string; payload: FulfillmentPayload }>(CLAIM, [now.toISOString(), BATCH, new Date(now.getTime() + LEASE_MS).toISOString()]);
      if (rows.length === 0) return pass;
      keyring ??= await keyringFor(this.db);
      const claimed = rows.map((row) => ({ id: row.id, attempts: Number(row.attempts), integrationId: row.integration_id, idempotencyKey: row.idempotency_key, payload: row.payload }));
      await Promise.all(claimed.map(async (notice) => {
        pass[await this.deliver(notice, now, keyring!)] += 1;
      }));
      if (rows.length < BATCH) return pass;
    }
  }

  private async deliver(notice: Claimed, now: Date, keyring: Keyring): Promise<keyof DeliveryPass> {
    const target = await callbackTarget(this.db, keyring, notice.integrationId);
    if (target === null) {
      await this.db.query(
        `update fulfillment_notices set status = 'cancelled', last_error = 'The integration has no callback now, or was revoked.' where id = $1 and status = 'pending'`,
        [notice.id],
      );
      return 'cancelled';
    }
    if (target.secret === null) {
      return this.failed(notice, now, null, 'The signing secret cannot be opened with this server’s key (SECRETS_KEY); see docs/security.md.', 'refused');
    }
    // Signed over exactly the bytes sent.
    const body = JSON.stringify(notice.payload);
    let response: Response;
    let answer: string;
    try {
      response = await this.send(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Dockhand-Fulfillment/1',
          'x-dockhand-topic': FULFILLMENT_TOPIC,
          'x-dockhand-hmac-sha256': createHmac('sha256', target.secret).update(body, 'utf8').digest('base64'),
          'idempotency-key': notice.idempotencyKey,
        },
        body,
        // A redirect is not followed: the notice and its signature go only where the admin said.
        redirect: 'manual',
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      answer = await response.text().catch(() => '');
    } catch (error) {
      return this.failed(notice, now, null, describeFailure(error), 'transient');
    }
    if (response.status >= 200 && response.status < 300) {
      await this.db.query(
        `update fulfillment_notices set status = 'delivered', delivered_at = $2::timestamptz, last_status = $3, last_error = null
         where id = $1 and status = 'pending'`,
        [notice.id, now.toISOString(), response.status],
      );
      return 'delivered';
    }
    const status = response.status;
    const refused = status < 500 && status !== 408 && status !== 429;
    const said = answer.replace(/\s+/g, ' ').trim();
    return this.failed(notice, now, status, `HTTP ${status}${said ? `: ${said}` : ''}`, refused ? 'refused' : 'transient', retryAfterMs(response.headers.get('retry-after'), now));
  }

  private async failed(notice: Claimed, now: Date, status: number | null, error: string, kind: FailureKind, retryAfter: number | null = null): Promise<'failed'> {
    const next = new Date(now.getTime() + retryDelay(notice.attempts, kind, this.random, retryAfter));
    // Only the attempt that claimed it records its failure: a late answer after the lease ended
    // must not push back the attempt that took over.
    await this.db.query(
      `update fulfillment_notices set next_attempt_at = $3::timestamptz, last_status = $4, last_error = $5
       where id = $1 and attempts = $2 and status = 'pending'`,
      [notice.id, notice.attempts, next.toISOString(), status, Array.from(error).slice(0, MAX_ERROR_LENGTH).join('')],
    );
    this.options.log?.warn({ noticeId: notice.id, attempts: notice.attempts, status, error, nextAttemptAt: next.toISOString() }, 'a fulfillment notice was not acknowledged; it will be sent again');
    return 'failed';
  }
}

/** A Retry-After header (seconds, or an HTTP date) in ms from `now`; null when absent or unreadable. */
function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(at - now.getTime(), 0);
}

/** A send that got no answer, for people: a timeout, a refused connection, a name that does not resolve. */
function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `No answer within ${SEND_TIMEOUT_MS / 1000} s.`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ((error.cause as Error & { code?: string }).code ?? error.cause.message) : null;
    return cause ? `${error.message} (${cause})` : error.message;
  }
  return String(error);
}
