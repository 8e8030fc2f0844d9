// The sync protocol's wire shapes (docs/protocol.md), shared by the server that answers and the
// device that must not take anything else for an answer (a captive portal's 200 page included).
import { z } from 'zod';
import { ErrorBody } from './api';
import { TableName } from './entities';
import { RejectionCode } from './errors';
import { PushedMutation } from './mutations';

/** Mutations accepted in one push; the device sends its outbox in batches of at most this. */
export const MAX_PUSH_BATCH = 200;

/**
 * Request header on pull: the synced tables the app knows, as a schema number. An app without it
 * (a release before cartons) is sent no rows of the tables added since, which its pull schema
 * would refuse whole; an app that learns them starts its pull over (storage/db.ts version 7).
 */
export const SYNC_SCHEMA_HEADER = 'dockhand-sync-schema';
export const SYNC_SCHEMA = 2;
/** The tables schema 2 added: cartons at the pack station. */
export const SCHEMA_2_TABLES = ['cartonTypes', 'cartons', 'cartonLines'] as const;

/**
 * Request header on pull: synced tables (comma-separated) whose current rows the page should carry
 * in full before its changes — what an app that just learnt them missed behind its cursor.
 */
export const SYNC_BACKFILL_HEADER = 'dockhand-sync-backfill';

/** The tables a backfill header names that a pull can send (unknown names are ignored). */
export function backfillTables(header: string | string[] | undefined): string[] {
  if (typeof header !== 'string' || header.length > 200) return [];
  return [...new Set(header.split(',').map((name) => name.trim()).filter((name) => (SCHEMA_2_TABLES as readonly string[]).includes(name)))];
}

/** The tables a pull for an app of `header`'s schema must leave out. */
export function tablesUnknownTo(header: string | string[] | undefined): readonly string[] {
  const schema = typeof header === 'string' && /^\d{1,4}$/.test(header) ? Number(header) : 1;
  return schema >= 2 ? [] : SCHEMA_2_TABLES;
}

/**
 * POST /api/sync/push, as the schema checks it: only what identifies each mutation (its id and
 * sequence number). Each mutation's content is checked on its own by the server (push
 * `parseBatch`), so a bad one is its own stored rejection instead of a 400 that would refuse the
 * whole batch on every resend.
 */
export const PushRequest = z.object({ mutations: z.array(PushedMutation).min(1).max(MAX_PUSH_BATCH) });
export type PushRequest = z.input<typeof PushRequest>;

/** The stored outcome of one pushed mutation: what push answers and pull hands back. */
export const MutationResult = z.object({
  mutationId: z.uuid(),
  seq: z.number().int(),
  type: z.string(),
  status: z.enum(['applied', 'rejected']),
  code: RejectionCode.or(z.string()).nullable(),
  message: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type MutationResult = z.infer<typeof MutationResult>;

/** One row written or deleted since the device's cursor. */
export const Change = z.object({
  table: TableName,
  id: z.string(),
  op: z.enum(['put', 'delete']),
  row: z.record(z.string(), z.unknown()).nullable(),
});
export type Change = z.infer<typeof Change>;

export const PullResponse = z.object({
  changes: z.array(Change),
  cursor: z.string(),
  hasMore: z.boolean(),
  /** This device's mutation results after `resultsAfter`; only on the last page (hasMore false). */
  results: z.array(MutationResult),
  /** The sequence number the server expects next from this device. */
  nextSeq: z.number().int(),
  /**
   * Present on the first page after the owners the device is served changed (an admin widened or
   * narrowed the user's owners): every row of an owner outside `ownerIds` (null: every owner)
   * leaves the device with this page; rows of owners added arrive in the pages that follow.
   */
  scope: z.object({ ownerIds: z.array(z.string()).nullable() }).optional(),
  /** The warehouse's IANA time zone, whose date is "today" for expiry rules (domain/warehouse-clock). */
  timeZone: z.string().optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/**
 * A pull page as the device checks it on arrival: the envelope here, each row afterwards against
 * its own table's schema (sync/rebase `pageWrites`), so 10,000 rows are walked once, not twice.
 */
export const PullPage = PullResponse.extend({ changes: z.array(Change.extend({ row: z.unknown() })) });
export type PullPage = z.infer<typeof PullPage>;

/** POST /api/sync/push 200: one result per pushed mutation, in sequence order. */
export const PushResponse = z.object({ results: z.array(MutationResult) });
export type PushResponse = z.infer<typeof PushResponse>;

/** POST /api/sync/push 409: SEQUENCE_GAP or SEQUENCE_REUSED, with the sequence the server expects. */
export const SequenceConflict = ErrorBody.extend({ expectedSeq: z.number().int() });
export type SequenceConflict = z.infer<typeof SequenceConflict>;
