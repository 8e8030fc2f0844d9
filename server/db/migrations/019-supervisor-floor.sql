-- The supervisor's floor screens (issue 15): who settled each exception, the scans of a pick list
-- found by their line, and supervisor actions on the audit trail.

-- An exception a supervisor settled that has no state of its own to carry it: a short pick counted,
-- a rejected mutation handled, a store notice sent again. One row per exception; a second
-- settling (a notice retried again) replaces who and when.
create table exception_resolutions (
  kind text not null check (kind in ('short_pick', 'rejected_mutation', 'notice_retry')),
  -- The exception's own key: the pick line's id, `<device id>/<seq>`, the notice's id.
  ref text not null,
  owner_id text references owners(id),
  resolved_by text not null references users(id),
  resolved_at timestamptz not null default now(),
  primary key (kind, ref)
);

-- Every scan on a pick line, for a list's scans and the pickers' rates, without reading every result.
create index mutation_results_pick_line on mutation_results ((args->>'pickLineId'), created_at)
  where type in ('pick', 'unpick', 'short-pick');
create index mutation_results_pick_time on mutation_results (created_at)
  where type in ('pick', 'unpick', 'short-pick');
-- The exceptions screen's other readers: rejections newest first, and lines closed short.
create index mutation_results_rejected on mutation_results (created_at) where status = 'rejected';
create index pick_lines_short on pick_lines (owner_id) where short_qty > 0;

-- Supervisor actions join the audit trail. The events a row may carry are listed once, in
-- server/audit.ts `AuditEntry`; here only their form, so migrations adding events never collide.
alter table auth_audit drop constraint auth_audit_event_check;
alter table auth_audit add constraint auth_audit_event_check check (event ~ '^[a-z][a-z_]{0,62}$');
