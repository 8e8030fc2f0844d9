-- The supervisors' live feed (server/floor/): one row per thing that happened on the floor — a
-- mutation applied or rejected, an order's status changed by intake or allocation, a device's sync
-- health changed — written in the transaction that did it, with `pg_notify('floor_events:<schema>')`
-- beside it so every API server hears of it once it commits. Kept 24 hours.

-- Read in (xid, id) order below the oldest running transaction, like the sync feed (decision
-- 0001): ids alone are handed out before commit, so reading by id could pass a row that commits
-- later. `owner_id` scopes an event about one owner's goods; an event about a device or a user
-- (owner_id null) is seen by supervisors of every owner, and by those whose owners include all of
-- `device_owner_ids` (the device's user's owners; null: a user of every owner) — the devices list's
-- own rule. `payload` holds ids, counts and codes, never names or numbers of goods.
create table floor_events (
  id bigserial primary key,
  xid xid8 not null default pg_current_xact_id(),
  owner_id text,
  device_owner_ids text[],
  kind text not null,
  payload jsonb not null default '{}',
  created_at timestamptz not null default clock_timestamp()
);
create index floor_events_commit_order on floor_events (xid, id);

-- The newest row is never pruned, so a stream's position is always a row that can be looked up;
-- this one is that row until the floor's first event.
insert into floor_events (kind) values ('start');
