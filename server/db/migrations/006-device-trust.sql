-- Trust at sign-in (issue 12): devices bound to the credential that registered them, sign-in
-- limits counted in the database (shared by every API server), account locks with an audit
-- trail, usernames unique whatever their case, and photos keyed by the device that sent them.

-- Usernames in their canonical form (src/domain/text `Username`). Usernames created so far are
-- ASCII (the admin route allowed nothing else), where lower() agrees with the application's
-- lower-casing. Two accounts that differ only in case make this update fail on the unique
-- constraint, naming the username: an admin renames one of them, then the server starts.
update users set username = lower(btrim(username)) where username <> lower(btrim(username));
-- A guard for rows written around the application (psql, imports): case variants collide here.
create unique index users_username_lower on users (lower(username));

-- A device's secret, issued once at its first sign-in and kept only as its SHA-256. Rows from
-- before this migration have none: only the user recorded on the row may claim them
-- (server/auth.ts `bindDevice`).
alter table devices add column secret_hash text;

-- Failed sign-ins per key ('address:…' or 'account:…') in fixed windows. Successes are not
-- counted, so a shift behind one address is never limited by its own sign-ins.
create table sign_in_failures (
  key text not null,
  window_start timestamptz not null,
  failures integer not null,
  primary key (key, window_start)
);
create index sign_in_failures_window on sign_in_failures (window_start);

-- Consecutive failed sign-ins per username (known or not, so a lock tells nothing about whether
-- an account exists); `locked_at` is set once they reach the limit and cleared by an unlock.
create table sign_in_accounts (
  username text primary key,
  consecutive_failures integer not null default 0,
  locked_at timestamptz,
  last_failure_at timestamptz not null default now()
);

-- Who locked or unlocked which account, when and from where. Append-only.
create table auth_audit (
  id bigserial primary key,
  at timestamptz not null default now(),
  event text not null check (event in ('account_locked', 'account_unlocked')),
  username text not null,
  -- The account's user, when the username is one (a lock also happens to unknown usernames).
  user_id text,
  -- Who acted: null when the server locked the account after failed sign-ins.
  actor_user_id text references users(id),
  address text not null,
  details jsonb
);
create index auth_audit_username on auth_audit (username, at);

-- A photo belongs to the device that sent it: keyed by (device, mutation) so an upload from
-- anyone else under the same mutation id can never block the real one. Readers join on the
-- mutation's own device (mutation_results.device_id), so another device's upload stays unseen.
alter table photos drop constraint photos_pkey;
alter table photos add primary key (device_id, mutation_id);
create index photos_mutation on photos (mutation_id);
-- The photos anyone may read: those sent by the device and user whose mutation they evidence. A
-- result stored as DUPLICATE_MUTATION_ID is another device's reuse of the id (005), never the
-- mutation the photo evidences.
create view mutation_photos as
  select p.* from photos p
  join mutation_results r on r.mutation_id = p.mutation_id and r.device_id = p.device_id and r.user_id = p.user_id
    and r.code is distinct from 'DUPLICATE_MUTATION_ID';
