// Printing a carton's label from the pack station: the device names a printer, the order and the
// carton; the server renders the same ZPL as GET …/label.zpl and sends it to the printer over raw
// TCP. The job's id is the device's, made once, so a retry after a lost answer is the same job:
// a printed job answers its first outcome and is never sent again, even when the repeat arrives
// while the first is still printing. A failed job printed nothing (see server/printing/raw-print)
// and the same id may try again.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../src/domain/api';
import { PrintJobOutcome, PrintJobRequest } from '../../src/domain/printing';
import { cartonLabelZpl } from '../documents/index';
import type { Db } from '../db/index';
import { PRINTER_TIMEOUT_MS, PrinterUnreachable, sendRaw, type PrinterAddress } from '../printing/raw-print';
import { cartonLabelOf, DEFAULT_GS1_COMPANY_PREFIX } from './document-routes';
import { ApiError } from './errors';
import { authOf, requireUser } from './guard';
import { findPrinter, printerNotFound } from './printer-routes';

/**
 * How long a request holds a job it is printing. Past it the claim is taken for abandoned (its
 * server stopped mid-send) and a retry may print: at worst a second copy of the same label.
 */
const PRINT_LEASE_MS = PRINTER_TIMEOUT_MS * 3;
/** How often a repeat that arrived while its job was printing looks for the outcome. */
const OUTCOME_POLL_MS = 100;

interface JobRow {
  id: string;
  printer: string;
  order_id: string;
  carton: string;
  copies: number;
  status: 'printing' | 'printed' | 'failed';
  error: string | null;
  lease_live: boolean;
  printed_at: Date | string | null;
}

type Job = { id: string; printer: string; orderId: string; carton: string; copies: number };

const JOB_COLUMNS = `id, printer, order_id, carton, copies, status, error, coalesce(lease_until > now(), false) as lease_live, printed_at`;

async function readJob(db: Db, id: string): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(`select ${JOB_COLUMNS} from print_jobs where id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * Takes the job for this request in one statement: a new id, a failed job or an abandoned claim
 * becomes `printing` under a fresh lease. Answers false when a live claim or a printed job stands,
 * or the id is another job's: `readJob` then says which.
 */
async function claim(db: Db, job: Job, userId: string): Promise<boolean> {
  const { rows } = await db.query(
    `insert into print_jobs as j (id, printer, order_id, carton, copies, requested_by, status, lease_until)
     values ($1, $2, $3, $4, $5, $6, 'printing', now() + $7::int * interval '1 millisecond')
     on conflict (id) do update set status = 'printing', error = null, attempts = j.attempts + 1,
       requested_by = excluded.requested_by, lease_until = excluded.lease_until
     where (j.status = 'failed' or (j.status = 'printing' and j.lease_until <= now()))
       and j.printer = excluded.printer and j.order_id = excluded.order_id and j.carton = excluded.carton and j.copies = excluded.copies
     returning id`,
    [job.id, job.printer, job.orderId, job.carton, job.copies, userId, PRINT_LEASE_MS],
  );
  return rows.length > 0;
}

async function record(db: Db, id: string, outcome: { printed: true } | { printed: false; error: string }): Promise<void> {
  await db.query(
    outcome.printed
      ? `update print_jobs set status = 'printed', printed_at = now(), lease_until = null where id = $1`
      : `update print_jobs set status = 'failed', error = $2, lease_until = null where id = $1`,
    outcome.printed ? [id] : [id, outcome.error],
  );
}

const isoOf = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

const unreachable = (message: string) => new ApiError(502, { error: 'PRINTER_UNREACHABLE', message });
const unreachableMessage = (code: string, address: PrinterAddress, why: string) =>
  `Printer ${code} at ${address.host}:${address.port} could not be reached: ${why}. Check that it is on and connected.`;

const sameJob = (row: JobRow, job: Job) =>
  row.printer === job.printer && row.order_id === job.orderId && row.carton === job.carton && row.copies === job.copies;

/** The answer a finished job's row gives: its label printed, or why the printer could not take it. */
function outcomeOf(row: JobRow, job: Job): PrintJobOutcome {
  if (row.status !== 'printed') throw unreachable(row.error ?? `Printer ${row.printer} could not be reached.`);
  return { ...job, status: 'printed', printedAt: isoOf(row.printed_at!) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function registerPrintJobs(app: FastifyInstance, db: Db, options: { companyPrefix?: string }): Promise<void> {
  const companyPrefix = options.companyPrefix ?? DEFAULT_GS1_COMPANY_PREFIX;

  app.withTypeProvider<ZodTypeProvider>().post('/api/print-jobs', {
    schema: {
      summary: 'Print a carton’s content label (ZPL) on a network printer of the site. The id is the device’s: a repeat answers the first outcome and never prints twice; a failed job may be sent again',
      tags: ['printing'],
      security: [{ bearer: [] }],
      body: PrintJobRequest,
      response: { 200: PrintJobOutcome, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody },
    },
    onRequest: requireUser(db),
  }, async (request) => {
    const { actor } = authOf(request);
    const job: Job = { ...request.body };
    // The order first: another owner's order is "not found" before anything about the job is said.
    const label = await cartonLabelOf(db, { orderId: job.orderId, carton: job.carton, ownerIds: actor.ownerIds, weightKg: 0, companyPrefix });

    // A repeat that waited for its job's first request answers that request's outcome, failed or not.
    let waited = false;
    for (;;) {
      const stored = await readJob(db, job.id);
      if (stored && !sameJob(stored, job)) {
        throw new ApiError(409, { error: 'ID_REUSED', message: 'This print job id was used for another label. Print again: the device makes a new id.' });
      }
      if (stored?.status === 'printed' || (waited && stored?.status === 'failed')) return outcomeOf(stored, job);
      if (stored?.status === 'printing' && stored.lease_live) {
        waited = true;
        await sleep(OUTCOME_POLL_MS);
        continue;
      }
      // Checked after a printed job's answer: a printer removed since still lets its repeat answer.
      const printer = await findPrinter(db, job.printer);
      if (!printer) throw printerNotFound(job.printer);
      // Lost to a repeat that claimed it first: look again.
      if (!(await claim(db, job, actor.userId))) continue;

      const address = { host: printer.host, port: printer.port };
      try {
        await sendRaw(address, cartonLabelZpl(label, { copies: job.copies }));
      } catch (error) {
        if (!(error instanceof PrinterUnreachable)) throw error;
        const message = unreachableMessage(printer.code, address, error.message);
        await record(db, job.id, { printed: false, error: message });
        request.log.warn({ printer: printer.code, job: job.id }, 'printer unreachable');
        throw unreachable(message);
      }
      await record(db, job.id, { printed: true });
      return outcomeOf((await readJob(db, job.id))!, job);
    }
  });
}
