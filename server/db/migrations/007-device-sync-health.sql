-- Device sync health for the supervisor (docs/protocol.md "What the supervisor sees"): failing
-- pushes as the server saw them, and the unsent work the device last reported with a pull or push.

-- The first failed push since the last one that went through (null while pushes go through), how
-- many failed since, and the last one's HTTP status and error code; never its message.
alter table devices add column push_failing_since timestamptz;
alter table devices add column push_failures integer not null default 0;
alter table devices add column push_last_status smallint;
alter table devices add column push_last_error text;

-- What the device holds unsent, as it last reported (null: never reported), in server time.
alter table devices add column pending_count integer check (pending_count >= 0);
alter table devices add column oldest_pending_at timestamptz;
alter table devices add column reported_at timestamptz;
