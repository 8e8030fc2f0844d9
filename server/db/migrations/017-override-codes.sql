-- Supervisors' override codes: a packer closes an order's last carton short only with one. The
-- device cannot check a code offline, so the server checks it when the close-carton mutation
-- arrives (server/orders/override-codes.ts). Each code works once, before it expires, for the
-- owners of the supervisor who issued it.

-- Codes are kept only as the SHA-256 (hex) of their normal form (upper case, no dash): whoever
-- reads this table cannot spend one. `owner_ids` is the issuer's scope when issued (null: every
-- owner). A used code keeps the mutation and order it was spent on.
create table override_codes (
  code_hash text primary key,
  issued_by text not null references users(id),
  owner_ids text[],
  issued_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  used_by_mutation uuid,
  used_for_order text
);
create index override_codes_issued_by on override_codes (issued_by, issued_at);

-- Codes refused per device, counted in the database so every API server shares the limit: a
-- device that guesses wrong too often is refused without its codes being looked up.
create table override_failures (
  device_id text not null,
  at timestamptz not null default now()
);
create index override_failures_device on override_failures (device_id, at);

-- Issuing override codes is on the security audit trail (server/audit.ts), never the codes.
alter table auth_audit drop constraint auth_audit_event_check;
alter table auth_audit add constraint auth_audit_event_check
  check (event in ('account_locked', 'account_unlocked', 'override_codes_issued'));
