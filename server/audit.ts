// The security audit trail: account locks and unlocks, override codes issued (how many, never the
// codes), and admins' changes to users and devices (never a PIN), with who acted, when and from
// which address. Rows are only ever appended.
import type { Queryable } from './db/index';

export interface AuditEntry {
  /** Every event a row may carry (the table checks only their form: migration 019). */
  event:
    | 'account_locked'
    | 'account_unlocked'
    | 'override_codes_issued'
    | 'user_created'
    | 'user_pin_reset'
    | 'user_deactivated'
    | 'user_reactivated'
    | 'user_owners_set'
    | 'device_revoked'
    | 'exception_resolved'
    | 'notice_retried'
    | 'pick_list_assigned';
  username: string;
  /** The account's user; null when the username belongs to nobody. */
  userId: string | null;
  /** Who acted; null when the server itself acted (a lock after failed sign-ins). */
  actorUserId: string | null;
  /** The address the request came from, as the configured proxies report it. */
  address: string;
  details?: Record<string, unknown>;
}

export async function writeAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.query(
    'insert into auth_audit (event, username, user_id, actor_user_id, address, details) values ($1, $2, $3, $4, $5, $6::jsonb)',
    [entry.event, entry.username, entry.userId, entry.actorUserId, entry.address, entry.details ? JSON.stringify(entry.details) : null],
  );
}
