-- Orders arrive by themselves (Shopify webhooks, CSV files, the REST API), wait on hold or as
-- backorders with their reasons, and are allocated into waves of pick lists. Everything here
-- beyond the synced columns is the server's: devices see an order once it is allocated.

-- An order's intake record. `status` gains 'on_hold' and 'backordered' (server-side only).
alter table orders add column external_id text;
alter table orders add column ship_by text;
alter table orders add column shipping_method text;
alter table orders add column express boolean not null default false;
alter table orders add column ship_to jsonb;
-- Why the order waits for a person (HoldReason) and the lines concerned.
alter table orders add column hold_reason text;
alter table orders add column hold_details jsonb;
-- What an unfilled (backordered) order is missing, per line.
alter table orders add column shortfall jsonb;
-- The store's last change to the order: an older version arriving late changes nothing.
alter table orders add column source_updated_at timestamptz;
-- Digest of the order's content as last taken in: a repeat with the same content is a no-op.
alter table orders add column content_hash text;
alter table orders add column received_at timestamptz not null default now();
alter table orders add column integration_id text;
alter table orders add column cancelled_at timestamptz;
-- One order per number per owner, and per store id per owner and channel.
create unique index orders_owner_number on orders (owner_id, number);
create unique index orders_owner_external on orders (owner_id, source, external_id) where external_id is not null;
create index orders_waiting on orders (owner_id, status) where status in ('open', 'backordered');

-- A line as it arrived: a line that matches no product keeps its SKU and waits on hold.
alter table order_lines alter column product_id drop not null;
alter table order_lines add column line_no integer;
alter table order_lines add column sku text;
alter table order_lines add column barcode text;
alter table order_lines add column name text;
alter table order_lines add column external_id text;
alter table order_lines add column requires_shipping boolean not null default true;

-- A wave: the pick lists one allocation run built for one owner, held and released together.
create table waves (
  id text primary key,
  owner_id text not null references owners(id),
  number text not null unique,
  status text not null check (status in ('released', 'held')),
  created_at timestamptz not null default now()
);
create sequence wave_number_seq;
create sequence pick_list_number_seq;

alter table pick_lists add column wave_id text references waves(id);
alter table pick_lists drop constraint pick_lists_status_check;
alter table pick_lists add constraint pick_lists_status_check check (status in ('open', 'in_progress', 'done', 'cancelled', 'held'));
-- A cancelled order's unpicked lines stay for the record; the feed deletes them from devices.
alter table pick_lines drop constraint pick_lines_status_check;
alter table pick_lines add constraint pick_lines_status_check check (status in ('open', 'done', 'cancelled'));
create index pick_lines_open_stock on pick_lines (product_id, location_id) where status = 'open';

-- What needs a supervisor: an order cancelled or changed after units were picked for it.
create table order_exceptions (
  id bigserial primary key,
  owner_id text not null references owners(id),
  order_id text not null references orders(id),
  kind text not null check (kind in ('cancelled_after_pick', 'changed_after_pick')),
  details jsonb not null,
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by text references users(id)
);
create index order_exceptions_open on order_exceptions (owner_id) where resolved_at is null;

-- Every store event taken in, by its delivery id: a redelivery gets the first answer again.
create table webhook_events (
  integration_id text not null,
  webhook_id text not null,
  topic text not null,
  order_external_id text,
  received_at timestamptz not null default now(),
  status_code smallint not null,
  response jsonb not null,
  primary key (integration_id, webhook_id)
);

-- REST requests by their Idempotency-Key, per owner: a retry gets the first answer again.
create table idempotency_keys (
  owner_id text not null references owners(id),
  key text not null,
  request_hash text not null,
  status_code smallint not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (owner_id, key)
);

-- List numbers continue after the lists already here (the seed's included).
select setval('pick_list_number_seq', coalesce((select max(substring(number from 4)::bigint) from pick_lists where number ~ '^PL-[0-9]+$'), 0) + 1, false);
