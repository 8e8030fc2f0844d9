// The supervisors' live feed as it crosses the wire (GET /api/supervisor/events, Server-Sent
// Events): what each event kind carries, shared by the server that writes it and the screens that
// react to it. Events carry ids, counts and codes only: a screen refetches what it shows.
import { z } from 'zod';

/** The path of the stream; `?lastEventId=` or the Last-Event-ID header resumes it. */
export const FLOOR_EVENTS_PATH = '/api/supervisor/events';

/** How often the server writes a comment on a quiet stream, so a dead connection shows. */
export const FLOOR_HEARTBEAT_MS = 15_000;

const Id = z.string();
const At = z.string().describe('When it happened, ISO 8601 in the server’s clock');

/** A device applied a mutation; the ids it names are those of the mutation's arguments and effects. */
export const MutationAppliedEvent = z.object({
  kind: z.literal('mutation-applied'),
  at: At,
  type: z.string(),
  deviceId: Id,
  userId: Id,
  seq: z.number(),
  pickListId: Id.optional(),
  pickLineId: Id.optional(),
  orderId: Id.optional(),
  receiptId: Id.optional(),
  returnId: Id.optional(),
  productId: Id.optional(),
  locationId: Id.optional(),
  qty: z.number().optional(),
});

/** A mutation was stored as rejected: it waits under "Needs attention" on its device. */
export const MutationRejectedEvent = z.object({
  kind: z.literal('mutation-rejected'),
  at: At,
  type: z.string(),
  deviceId: Id,
  userId: Id,
  seq: z.number(),
  code: z.string().nullable(),
});

/** An order's status changed outside a device's mutation: intake, allocation, a supervisor. */
export const OrderStatusEvent = z.object({
  kind: z.literal('order-status'),
  at: At,
  orderId: Id,
  status: z.string(),
  previousStatus: z.string().nullable(),
});

/** A device's sync health changed: a push failed, or it reported unsent work. */
export const DeviceHealthEvent = z.object({
  kind: z.literal('device-health'),
  at: At,
  deviceId: Id,
  userId: Id.nullable(),
  pendingCount: z.number().nullable(),
  pushFailing: z.boolean(),
});

/**
 * Stream control, each with the stream's position as its id. `ready`: resumed from Last-Event-ID,
 * the events missed came before it. `reset`: the stream starts here (`new`), or the Last-Event-ID
 * is no longer kept (`expired`, after 24 hours) — what a screen shows may be stale: reload it.
 */
export const StreamReady = z.object({ kind: z.literal('ready') });
export const StreamReset = z.object({ kind: z.literal('reset'), reason: z.enum(['new', 'expired']) });
export type StreamControl = z.infer<typeof StreamReady> | z.infer<typeof StreamReset>;

export const FloorEvent = z.discriminatedUnion('kind', [MutationAppliedEvent, MutationRejectedEvent, OrderStatusEvent, DeviceHealthEvent]);
export type FloorEvent = z.infer<typeof FloorEvent>;
export type FloorEventKind = FloorEvent['kind'];

export const FLOOR_EVENT_KINDS: readonly FloorEventKind[] = ['mutation-applied', 'mutation-rejected', 'order-status', 'device-health'];

/** An event's fields other than its kind and time, as stored in floor_events.payload. */
export type FloorEventPayload<K extends FloorEventKind> = Omit<Extract<FloorEvent, { kind: K }>, 'kind' | 'at'>;
