-- A carton's SSCC, numbered once when its label is first printed and kept, so a reprint is the
-- same label and no two cartons share one.
create sequence sscc_serial_seq;
create table carton_labels (
  order_id text not null references orders(id),
  carton text not null,
  sscc text not null unique,
  created_at timestamptz not null default now(),
  primary key (order_id, carton)
);
