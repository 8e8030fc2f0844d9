// The supervisor's floor screens on the wire: pick lists with their progress, one list's lines and
// scans, the pickers' rates over the shift, and the exceptions that need a person. Declared by the
// server's routes (server/routes/floor-routes.ts) and read by the device's API client.
import { z } from 'zod';
import { Id, text } from './text';

/** Minutes in one bar of the pickers' shift chart. */
export const PICKER_BUCKET_MINUTES = 15;
/** The day shift starts at this hour, warehouse local time. */
export const SHIFT_START_HOUR = 6;
/** Before SHIFT_START_HOUR the shift is the last this many hours. */
export const NIGHT_SHIFT_HOURS = 8;

/** A filter's text: an owner's code or id, a zone. */
const Filter = text().trim().min(1).max(100);

export const PickListStatusFilter = z.enum(['active', 'open', 'in_progress', 'held', 'done', 'cancelled', 'all']);
export type PickListStatusFilter = z.infer<typeof PickListStatusFilter>;

/** GET /api/supervisor/pick-lists. `active` (the default): open, in progress or held. */
export const PickListsQuery = z.object({
  owner: Filter.optional().describe('The owner’s code (e.g. ACME) or id'),
  zone: Filter.optional().describe('Only lists with a line in this zone'),
  status: PickListStatusFilter.default('active'),
});
export type PickListsQuery = z.input<typeof PickListsQuery>;

const Who = z.object({ userId: z.string(), userName: z.string(), at: z.string() });

export const PickListSummary = z.object({
  id: z.string(),
  number: z.string(),
  ownerId: z.string(),
  /** The owner's code (ACME), for people. */
  ownerCode: z.string(),
  status: z.string(),
  wave: z.object({ id: z.string(), number: z.string(), status: z.string() }).nullable(),
  /** The zones its lines are picked in, sorted. */
  zones: z.array(z.string()),
  lines: z.number().int(),
  /** Lines picked in full or closed short. */
  linesDone: z.number().int(),
  units: z.number().int(),
  unitsPicked: z.number().int(),
  unitsShort: z.number().int(),
  assignedUserId: z.string().nullable(),
  assignedUserName: z.string().nullable(),
  /** Who scanned on it last (applied or not), and when. */
  lastScan: Who.nullable(),
  createdAt: z.string(),
});
export type PickListSummary = z.infer<typeof PickListSummary>;

export const PickListsAnswer = z.object({ lists: z.array(PickListSummary) });
export type PickListsAnswer = z.infer<typeof PickListsAnswer>;

export const PickListDetail = z.object({
  list: PickListSummary,
  lines: z.array(z.object({
    id: z.string(),
    binCode: z.string(),
    zone: z.string(),
    sku: z.string(),
    productName: z.string(),
    qty: z.number().int(),
    pickedQty: z.number().int(),
    shortQty: z.number().int(),
    shortReason: z.string().nullable(),
    status: z.string(),
  })),
  /** Every pick, unpick and short pick sent for its lines, oldest first. */
  scans: z.array(z.object({
    mutationId: z.string(),
    type: z.string(),
    pickLineId: z.string(),
    qty: z.number().int().nullable(),
    userId: z.string(),
    userName: z.string(),
    deviceId: z.string(),
    at: z.string(),
    status: z.enum(['applied', 'rejected']),
    /** The server's reason for a rejection. */
    code: z.string().nullable(),
    message: z.string().nullable(),
  })),
});
export type PickListDetail = z.infer<typeof PickListDetail>;

export const PickersQuery = z.object({ owner: Filter.optional().describe('The owner’s code (e.g. ACME) or id') });
export type PickersQuery = z.input<typeof PickersQuery>;

const Rate = z.object({ units: z.number().int(), lines: z.number().int() });

export const PickersAnswer = z.object({
  shift: z.object({
    startedAt: z.string(),
    /** `since-06:00`: since SHIFT_START_HOUR today, warehouse time; `last-8h`: before that hour, the last NIGHT_SHIFT_HOURS. */
    basis: z.enum(['since-06:00', 'last-8h']),
    bucketMinutes: z.number().int(),
    now: z.string(),
  }),
  pickers: z.array(z.object({
    userId: z.string(),
    userName: z.string(),
    /** Units and lines picked in the last 60 minutes: the hourly rate now. */
    lastHour: Rate,
    /** Units and lines picked in the shift, and per hour since the picker's first scan of it. */
    shift: Rate.extend({ unitsPerHour: z.number(), linesPerHour: z.number(), firstScanAt: z.string() }),
    currentList: z.object({ id: z.string(), number: z.string() }).nullable(),
    lastBin: z.string().nullable(),
    lastScanAt: z.string(),
    /** Seconds since the picker's last applied scan. */
    idleSeconds: z.number().int(),
    /** Units picked per bucket of the shift, the first bucket starting at `shift.startedAt`. */
    series: z.array(z.number().int()),
  })),
});
export type PickersAnswer = z.infer<typeof PickersAnswer>;

export const ExceptionKind = z.enum([
  'short_pick',
  'rejected_mutation',
  'order_on_hold',
  'order_backordered',
  'cancelled_after_pick',
  'changed_after_pick',
  'short_packed',
  'notice_failing',
]);
export type ExceptionKind = z.infer<typeof ExceptionKind>;

/**
 * What resolves an exception: `release` the order (POST /api/supervisor/orders/:id/release),
 * `retry` the notice, `reassign` its pick list, `mark-counted` a short pick once the bin is counted,
 * `mark-handled` anything settled off the app (POST /api/supervisor/exceptions/resolve).
 */
export const ExceptionAction = z.enum(['release', 'retry', 'reassign', 'mark-counted', 'mark-handled']);
export type ExceptionAction = z.infer<typeof ExceptionAction>;

export const FloorException = z.object({
  /** `<kind>:<ref>`, unique in the answer. */
  id: z.string(),
  kind: ExceptionKind,
  /** What the action names: a pick line, `<device>/<seq>`, an order, an order exception or a notice id. */
  ref: z.string(),
  ownerId: z.string().nullable(),
  at: z.string(),
  orderId: z.string().nullable(),
  orderNumber: z.string().nullable(),
  pickListId: z.string().nullable(),
  pickListNumber: z.string().nullable(),
  sku: z.string().nullable(),
  binCode: z.string().nullable(),
  qty: z.number().int().nullable(),
  /** A machine code: the short pick's reason, the rejection's or the hold's code, the HTTP status. */
  reason: z.string().nullable(),
  /** The server's own words: a rejection's message, a failing notice's last error. */
  message: z.string().nullable(),
  userName: z.string().nullable(),
  deviceId: z.string().nullable(),
  actions: z.array(ExceptionAction),
  resolved: z.object({ by: z.string().nullable(), at: z.string() }).nullable(),
});
export type FloorException = z.infer<typeof FloorException>;

export const ExceptionsAnswer = z.object({ exceptions: z.array(FloorException) });
export type ExceptionsAnswer = z.infer<typeof ExceptionsAnswer>;

export const ExceptionsQuery = z.object({
  owner: Filter.optional().describe('The owner’s code (e.g. ACME) or id'),
  /** `recent` (the default): open ones, and those settled in the last 24 hours. */
  state: z.enum(['open', 'recent']).default('recent'),
});
export type ExceptionsQuery = z.input<typeof ExceptionsQuery>;

/** POST /api/supervisor/exceptions/resolve: a short pick counted, a rejection or an order exception handled. */
export const ResolveException = z.object({
  kind: z.enum(['short_pick', 'rejected_mutation', 'cancelled_after_pick', 'changed_after_pick']),
  ref: text().trim().min(1).max(200),
});
export type ResolveException = z.infer<typeof ResolveException>;

export const Resolved = z.object({ id: z.string(), resolved: z.object({ by: z.string().nullable(), at: z.string() }) });
export type Resolved = z.infer<typeof Resolved>;

/** PUT /api/supervisor/pick-lists/:id/assignee (server/routes/scope-routes.ts). */
export const AssignPickList = z.object({ userId: Id.nullable() });
export const PickListAssignment = z.object({ id: z.string(), status: z.string(), assignedUserId: z.string().nullable() });

/** GET /api/supervisor/assignable-users: active users a supervisor may give a pick list to. */
export const PickerCandidates = z.object({ users: z.array(z.object({ id: z.string(), displayName: z.string(), ownerIds: z.array(z.string()).nullable() })) });
export type PickerCandidates = z.infer<typeof PickerCandidates>;

/** The wall-clock parts of `instant` in `timeZone`. */
function wallClock(timeZone: string, instant: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    calendar: 'gregory', numberingSystem: 'latn',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

/**
 * The current shift's start: SHIFT_START_HOUR today in the warehouse's `timeZone` once that hour
 * has come, and before it the last NIGHT_SHIFT_HOURS.
 */
export function shiftStart(timeZone: string, now: number): { startedAt: number; basis: 'since-06:00' | 'last-8h' } {
  const local = wallClock(timeZone, now);
  // The zone's offset now, from the wall clock read as if it were UTC (whole seconds).
  const offset = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - Math.floor(now / 1000) * 1000;
  const startOfShift = Date.UTC(local.year, local.month - 1, local.day, SHIFT_START_HOUR) - offset;
  if (local.hour >= SHIFT_START_HOUR && startOfShift <= now) return { startedAt: startOfShift, basis: 'since-06:00' };
  return { startedAt: now - NIGHT_SHIFT_HOURS * 3_600_000, basis: 'last-8h' };
}
