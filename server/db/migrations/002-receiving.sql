-- Receiving: LPN number ranges reserved per device, and damage photos.

-- Blocks of LPN numbers: block b covers (b-1)*size+1 .. b*size. A sequence never hands the same
-- block out twice, even to concurrent transactions, so ranges never overlap; the unique start
-- guards it at the table too.
create sequence lpn_block_seq;
create table lpn_ranges (
  id bigserial primary key,
  device_id text not null references devices(id),
  user_id text not null references users(id),
  prefix text not null,
  range_start bigint not null unique check (range_start > 0),
  range_end bigint not null,
  created_at timestamptz not null default now(),
  check (range_end >= range_start)
);
create index lpn_ranges_device on lpn_ranges (device_id);

-- One photo per mutation (the receive that recorded the damage), uploaded by the device that
-- made it. Bytes in the database for now; object storage when volumes call for it.
create table photos (
  mutation_id uuid primary key,
  receipt_id text,
  content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes integer not null check (size_bytes > 0),
  bytes bytea not null,
  user_id text not null references users(id),
  device_id text not null references devices(id),
  created_at timestamptz not null default now()
);
create index photos_receipt on photos (receipt_id);
