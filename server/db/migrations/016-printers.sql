-- Printing from the pack station: the site's network label printers, which the server sends ZPL
-- to (raw TCP, port 9100), and every print job a device asked for.

-- Site-wide hardware, not an owner's: every owner's labels print on the same printers.
create table printers (
  code text primary key,
  name text not null,
  host text not null,
  port integer not null default 9100 check (port between 1 and 65535),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One row per job id (made by the device, so a retry is the same job): the request claims it as
-- `printing` for a lease, then records `printed` or `failed`. A printed job is never sent again;
-- a failed one printed nothing and may be tried again, as may one whose lease ran out (its server
-- stopped mid-send: at worst a second copy of the same label, with the same SSCC).
create table print_jobs (
  id text primary key,
  -- The printer's code when the job was asked for; no foreign key: the history outlives a printer.
  printer text not null,
  order_id text not null references orders(id),
  carton text not null,
  copies smallint not null check (copies between 1 and 10),
  requested_by text not null references users(id),
  status text not null check (status in ('printing', 'printed', 'failed')),
  error text,
  attempts integer not null default 1,
  lease_until timestamptz,
  created_at timestamptz not null default now(),
  printed_at timestamptz
);
create index print_jobs_order on print_jobs (order_id);
