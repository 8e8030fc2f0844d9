-- Scope changes (issue 12): pick lists a supervisor can cancel or assign to one picker, the feed
-- row's audience, and the owner sets pull cursors are served under (server/sync/pull.ts).

-- A cancelled list stays on record here; the feed deletes it and its lines from every device.
alter table pick_lists drop constraint pick_lists_status_check;
alter table pick_lists add constraint pick_lists_status_check check (status in ('open', 'in_progress', 'done', 'cancelled'));
-- The one picker the list is for; null: every user of its owner.
alter table pick_lists add column assigned_user_id text references users(id);

-- The one user a feed row is for (a pick list assigned to a picker, and its lines); null: every
-- user of its owner. Kept by the writes that assign, never by the ordinary row upserts, so a
-- pick on an assigned line keeps its audience.
alter table sync_rows add column user_id text;

-- The owner sets pull cursors name by key (null: every owner): when a user's owners change, the
-- next pull compares the set the cursor was served under with the current one. Insert-only.
create table pull_scopes (
  key text primary key,
  owner_ids text[]
);
