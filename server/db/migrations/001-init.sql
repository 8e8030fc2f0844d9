-- Dockhand's schema: the warehouse's documents, stock as balances plus an append-only movement
-- ledger, users and devices, the exactly-once mutation log, and the sync change feed.

create table owners (
  id text primary key,
  code text not null unique,
  name text not null,
  over_receipt_tolerance_pct double precision not null default 0 check (over_receipt_tolerance_pct >= 0),
  allow_unexpected_items boolean not null default false
);

create table locations (
  id text primary key,
  code text not null unique,
  zone text not null,
  type text not null check (type in ('dock', 'storage', 'pick_face', 'pack', 'returns', 'quarantine', 'damaged')),
  aisle text,
  level text,
  walk_seq integer not null,
  capacity integer check (capacity > 0)
);

create table products (
  id text primary key,
  owner_id text not null references owners(id),
  sku text not null,
  name text not null,
  barcodes text[] not null,
  lot_tracked boolean not null default false,
  expiry_tracked boolean not null default false,
  zone text,
  pick_face_location_id text references locations(id),
  unique (owner_id, sku)
);
create index products_barcodes on products using gin (barcodes);

create table stock (
  id text primary key,
  owner_id text not null references owners(id),
  location_id text not null references locations(id),
  product_id text not null references products(id),
  lot text,
  expiry text,
  lpn text,
  qty integer not null check (qty >= 0)
);
create index stock_product_location on stock (product_id, location_id);
create index stock_location on stock (location_id);

-- Append-only: every change to a balance, with who made it and through which mutation.
create table stock_movements (
  id bigserial primary key,
  stock_id text not null,
  owner_id text not null,
  location_id text not null,
  product_id text not null,
  lot text,
  lpn text,
  delta integer not null check (delta <> 0),
  mutation_id uuid,
  user_id text,
  device_id text,
  reason text not null,
  created_at timestamptz not null default now()
);
create index stock_movements_stock on stock_movements (stock_id);

create table lpns (
  id text primary key,
  owner_id text not null references owners(id),
  location_id text not null references locations(id),
  status text not null check (status in ('open', 'closed'))
);

create table receipts (
  id text primary key,
  owner_id text not null references owners(id),
  number text not null,
  kind text not null check (kind in ('asn', 'po')),
  supplier text not null,
  status text not null check (status in ('open', 'closed')),
  dock_location_id text not null references locations(id),
  expected_at text not null
);

create table receipt_lines (
  id text primary key,
  receipt_id text not null references receipts(id),
  owner_id text not null references owners(id),
  product_id text not null references products(id),
  expected_qty integer not null check (expected_qty >= 0),
  received_qty integer not null check (received_qty >= 0),
  damaged_qty integer not null check (damaged_qty >= 0),
  unexpected boolean not null default false
);
create index receipt_lines_receipt on receipt_lines (receipt_id);

create table orders (
  id text primary key,
  owner_id text not null references owners(id),
  number text not null,
  source text not null,
  status text not null,
  customer_name text not null,
  created_at text not null
);

create table order_lines (
  id text primary key,
  order_id text not null references orders(id),
  owner_id text not null references owners(id),
  product_id text not null references products(id),
  qty integer not null check (qty > 0),
  picked_qty integer not null check (picked_qty >= 0),
  packed_qty integer not null check (packed_qty >= 0)
);
create index order_lines_order on order_lines (order_id);

create table pick_lists (
  id text primary key,
  owner_id text not null references owners(id),
  number text not null,
  status text not null check (status in ('open', 'in_progress', 'done')),
  staging_location_id text not null references locations(id),
  created_at text not null
);

create table pick_lines (
  id text primary key,
  pick_list_id text not null references pick_lists(id),
  owner_id text not null references owners(id),
  order_id text not null references orders(id),
  order_line_id text not null references order_lines(id),
  product_id text not null references products(id),
  location_id text not null references locations(id),
  lot text,
  qty integer not null check (qty > 0),
  picked_qty integer not null check (picked_qty >= 0),
  short_qty integer not null check (short_qty >= 0),
  short_reason text,
  status text not null check (status in ('open', 'done')),
  walk_seq integer not null,
  check (picked_qty + short_qty <= qty)
);
create index pick_lines_list on pick_lines (pick_list_id);
create index pick_lines_order on pick_lines (order_id);

create table shipments (
  id text primary key,
  owner_id text not null references owners(id),
  order_id text not null references orders(id),
  carrier text not null,
  tracking_number text not null,
  shipped_at text not null
);

create table returns (
  id text primary key,
  owner_id text not null references owners(id),
  rma text not null,
  order_id text references orders(id),
  status text not null check (status in ('open', 'closed')),
  returns_location_id text not null references locations(id)
);

create table return_lines (
  id text primary key,
  return_id text not null references returns(id),
  owner_id text not null references owners(id),
  product_id text not null references products(id),
  authorised_qty integer not null check (authorised_qty >= 0),
  received_qty integer not null check (received_qty >= 0),
  restocked_qty integer not null check (restocked_qty >= 0),
  damaged_qty integer not null check (damaged_qty >= 0),
  quarantined_qty integer not null check (quarantined_qty >= 0)
);
create index return_lines_return on return_lines (return_id);

create table users (
  id text primary key,
  username text not null unique,
  display_name text not null,
  pin_hash text not null,
  role text not null check (role in ('operator', 'supervisor', 'admin')),
  -- null: every owner; otherwise the only owners this user may see.
  owner_ids text[],
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table devices (
  id text primary key,
  -- The sequence number the next mutation from this device must carry.
  next_seq bigint not null default 1,
  user_id text references users(id),
  last_seen_at timestamptz not null default now()
);

create table sessions (
  token_hash text primary key,
  user_id text not null references users(id),
  device_id text not null references devices(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

-- The outcome of every mutation ever pushed, answered again for replays and returned by pull.
create table mutation_results (
  device_id text not null references devices(id),
  seq bigint not null,
  mutation_id uuid not null unique,
  type text not null,
  user_id text not null,
  status text not null check (status in ('applied', 'rejected')),
  code text,
  message text,
  details jsonb,
  -- The committing transaction: pull hands a result back only once its rows are pullable too.
  xid xid8 not null default pg_current_xact_id(),
  created_at timestamptz not null default now(),
  primary key (device_id, seq)
);

-- The change feed pull reads: the latest version of every synced row (or its tombstone), stamped
-- with the writing transaction's id. Pull only returns rows whose transaction id is below the
-- oldest transaction still running, so a cursor never passes a commit that is yet to land.
create sequence sync_seq;
create table sync_rows (
  tbl text not null,
  id text not null,
  owner_id text,
  xid xid8 not null default pg_current_xact_id(),
  seq bigint not null default nextval('sync_seq'),
  deleted boolean not null default false,
  row jsonb,
  primary key (tbl, id)
);
create index sync_rows_feed on sync_rows (xid, seq);
