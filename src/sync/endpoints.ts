// The API routes the device calls, each with the schemas from src/domain that the server's route
// declares too (server/routes). `request` (./api-client) sends them.
import { z } from 'zod';
import { LpnRange, OverrideCodes, OverrideCodesRequest, SessionResponse, SignInRequest, StoredPhoto, SupervisorOverview } from '../domain/api';
import { PrinterList, PrintJobOutcome, PrintJobRequest } from '../domain/printing';
import { FLOOR_EVENTS_PATH } from '../domain/floor-events';
import { PullPage, PushRequest, PushResponse } from '../domain/sync-protocol';
import { AssignPickList, ExceptionsAnswer, PickerCandidates, PickersAnswer, PickListAssignment, PickListDetail, PickListsAnswer, Resolved, ResolveException } from '../domain/supervisor-floor';
import { endpoint } from './api-client';

/** Longest wait for a sign-in before it gives up. */
export const SIGN_IN_TIMEOUT_MS = 15_000;
/** How long sign-out waits for the server to end the session; the device is signed out regardless. */
export const SIGN_OUT_TIMEOUT_MS = 5_000;
/** Longest wait for one photo upload (a photo is up to 5 MB on a weak aisle signal). */
export const PHOTO_TIMEOUT_MS = 120_000;
/** Longest wait for a screen that waits on the answer. */
const SCREEN_TIMEOUT_MS = 15_000;

export const signInEndpoint = endpoint({ method: 'POST', path: '/api/session', request: SignInRequest, response: SessionResponse, timeoutMs: SIGN_IN_TIMEOUT_MS });

export const signOutEndpoint = endpoint({ method: 'DELETE', path: '/api/session', response: null, timeoutMs: SIGN_OUT_TIMEOUT_MS });

export const pushEndpoint = endpoint({ method: 'POST', path: '/api/sync/push', request: PushRequest, response: PushResponse });

/** The envelope is checked here and each row against its table's schema afterwards (sync/rebase). */
export const pullEndpoint = endpoint({
  method: 'GET',
  path: '/api/sync/pull',
  query: z.object({ cursor: z.string(), limit: z.number().int(), resultsAfter: z.number().int() }),
  response: PullPage,
});

export const photoEndpoint = endpoint({
  method: 'POST',
  path: '/api/photos',
  request: 'blob',
  query: z.object({ mutationId: z.string(), receiptId: z.string() }),
  response: StoredPhoto,
  timeoutMs: PHOTO_TIMEOUT_MS,
});

export const lpnRangeEndpoint = endpoint({ method: 'POST', path: '/api/lpn-ranges', response: LpnRange, timeoutMs: SCREEN_TIMEOUT_MS });

/** The supervisor's screen reads only the devices; the rest of the overview may grow. */
export const devicesEndpoint = endpoint({
  method: 'GET',
  path: '/api/supervisor/overview',
  response: SupervisorOverview.pick({ devices: true }),
  timeoutMs: SCREEN_TIMEOUT_MS,
});

/**
 * The supervisors' live feed (src/features/supervisor/live-feed.ts), opened with `stream`:
 * Server-Sent Events, resumed by the Last-Event-ID header.
 */
export const floorEventsEndpoint = endpoint({ method: 'GET', path: FLOOR_EVENTS_PATH, response: null, accept: 'text/event-stream', timeoutMs: SCREEN_TIMEOUT_MS });

/** The site's label printers, for the pack station to choose one (cached on the device). */
export const printersEndpoint = endpoint({ method: 'GET', path: '/api/printers', response: PrinterList, timeoutMs: SCREEN_TIMEOUT_MS });

/**
 * A carton's label to a printer; the server waits up to 5 s for the printer, and a repeat of the
 * same job id waits for the first's outcome, so this waits longer than a screen.
 */
export const printJobEndpoint = endpoint({ method: 'POST', path: '/api/print-jobs', request: PrintJobRequest, response: PrintJobOutcome });

/** An order's packing slip as PDF, opened in the browser's viewer. */
export const packingSlipEndpoint = endpoint({
  method: 'GET',
  path: '/api/orders/:id/packing-slip.pdf',
  response: 'blob',
  accept: 'application/pdf',
  timeoutMs: SCREEN_TIMEOUT_MS,
});

/** Issues one-time codes: not idempotent, so an answer lost on the way leaves codes that simply expire. */
export const overrideCodesEndpoint = endpoint({
  method: 'POST',
  path: '/api/supervisor/override-codes',
  request: OverrideCodesRequest,
  response: OverrideCodes,
  timeoutMs: SCREEN_TIMEOUT_MS,
});

/** The supervisor's floor screens (src/domain/supervisor-floor.ts); filters as text, unset ones left out. */
const FloorFilters = z.record(z.string(), z.string());

export const floorPickListsEndpoint = endpoint({ method: 'GET', path: '/api/supervisor/pick-lists', query: FloorFilters, response: PickListsAnswer, timeoutMs: SCREEN_TIMEOUT_MS });

export const floorPickListEndpoint = endpoint({ method: 'GET', path: '/api/supervisor/pick-lists/:id', response: PickListDetail, timeoutMs: SCREEN_TIMEOUT_MS });

export const floorPickersEndpoint = endpoint({ method: 'GET', path: '/api/supervisor/pickers', query: FloorFilters, response: PickersAnswer, timeoutMs: SCREEN_TIMEOUT_MS });

export const floorExceptionsEndpoint = endpoint({ method: 'GET', path: '/api/supervisor/exceptions', query: FloorFilters, response: ExceptionsAnswer, timeoutMs: SCREEN_TIMEOUT_MS });

export const assignableUsersEndpoint = endpoint({ method: 'GET', path: '/api/supervisor/assignable-users', response: PickerCandidates, timeoutMs: SCREEN_TIMEOUT_MS });

export const resolveExceptionEndpoint = endpoint({ method: 'POST', path: '/api/supervisor/exceptions/resolve', request: ResolveException, response: Resolved, timeoutMs: SCREEN_TIMEOUT_MS });

export const retryNoticeEndpoint = endpoint({ method: 'POST', path: '/api/supervisor/fulfillment-notices/:id/retry', response: Resolved, timeoutMs: SCREEN_TIMEOUT_MS });

/** The answer's order is not read: the exceptions are listed again. */
export const releaseOrderEndpoint = endpoint({ method: 'POST', path: '/api/supervisor/orders/:id/release', response: z.object({ id: z.string() }).loose(), timeoutMs: SCREEN_TIMEOUT_MS });

export const assignPickListEndpoint = endpoint({ method: 'PUT', path: '/api/supervisor/pick-lists/:id/assignee', request: AssignPickList, response: PickListAssignment, timeoutMs: SCREEN_TIMEOUT_MS });
