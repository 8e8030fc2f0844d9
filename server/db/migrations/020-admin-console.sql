-- The admin console (issue 15): a lost device revoked by an admin. Its sessions end at once and
-- its id never signs in again (server/auth.ts `bindDevice` answers DEVICE_TAKEN, so a found
-- handheld starts afresh under a new id). The unsent work it last reported stays on its row,
-- for a supervisor to redo.
alter table devices add column revoked_at timestamptz;
alter table devices add column revoked_by text references users(id);

-- Admin actions on users and devices join the audit trail. The events are listed once, in
-- server/audit.ts `AuditEntry`; the check is only their form (as 019 sets it, repeated so this
-- migration stands on its own).
alter table auth_audit drop constraint auth_audit_event_check;
alter table auth_audit add constraint auth_audit_event_check check (event ~ '^[a-z][a-z_]{0,62}$');
