-- Packing in cartons: each owner's carton types, each order's cartons (closed with a box and a
-- weight, or short with a supervisor's override) and what is in them, one row per product, lot
-- and serial. Serial-tracked products and owners who let packers type a quantity.
alter table owners add column pack_quantity_typed boolean not null default false;
alter table products add column serial_tracked boolean not null default false;

create table carton_types (
  id text primary key,
  owner_id text not null references owners(id),
  code text not null,
  name text not null,
  length_mm integer not null check (length_mm > 0),
  width_mm integer not null check (width_mm > 0),
  height_mm integer not null check (height_mm > 0),
  max_weight_grams integer check (max_weight_grams > 0),
  unique (owner_id, code)
);

create table cartons (
  id text primary key,
  owner_id text not null references owners(id),
  order_id text not null references orders(id),
  label text not null,
  status text not null check (status in ('open', 'closed')),
  carton_type_id text references carton_types(id),
  weight_grams integer check (weight_grams > 0),
  closed_at text,
  short_reason text,
  unique (order_id, label)
);

create table carton_lines (
  id text primary key,
  owner_id text not null references owners(id),
  order_id text not null references orders(id),
  carton_id text not null references cartons(id),
  product_id text not null references products(id),
  lot text,
  serial text,
  qty integer not null check (qty >= 0)
);
create index carton_lines_order on carton_lines (order_id);
create index cartons_order on cartons (order_id);

-- A serial number is packed once, whichever order it goes out in (server/sync/push.ts).
create unique index carton_lines_serial_once on carton_lines (product_id, serial) where serial is not null and qty > 0;

alter table order_exceptions drop constraint order_exceptions_kind_check;
alter table order_exceptions add constraint order_exceptions_kind_check
  check (kind in ('cancelled_after_pick', 'changed_after_pick', 'short_packed'));

-- Orders packed before cartons were rows: their cartons as the applied `pack` mutations named them,
-- closed if the order has shipped, and published so devices receive them.
insert into cartons (id, owner_id, order_id, label, status, carton_type_id, weight_grams, closed_at, short_reason)
select o.id || '|carton|' || packed.label, o.owner_id, o.id, packed.label,
  case when o.status = 'shipped' then 'closed' else 'open' end, null, null, null, null
from orders o
join (
  select distinct r.args->>'orderId' as order_id, coalesce(r.args->>'cartonId', '1') as label
  from mutation_results r where r.type = 'pack' and r.status = 'applied'
) packed on packed.order_id = o.id;

insert into carton_lines (id, owner_id, order_id, carton_id, product_id, lot, serial, qty)
select o.id || '|carton|' || packed.label || '|' || packed.product_id || '|' || coalesce(packed.lot, '') || '|',
  o.owner_id, o.id, o.id || '|carton|' || packed.label, packed.product_id, packed.lot, null, packed.qty
from orders o
join (
  select r.args->>'orderId' as order_id, coalesce(r.args->>'cartonId', '1') as label, r.args->>'productId' as product_id,
    r.args->>'lot' as lot, sum((r.args->>'qty')::int)::int as qty
  from mutation_results r where r.type = 'pack' and r.status = 'applied'
  group by 1, 2, 3, 4
) packed on packed.order_id = o.id
join products p on p.id = packed.product_id;

insert into sync_rows (tbl, id, owner_id, deleted, row)
select 'cartons', c.id, c.owner_id, false, json_build_object('id', c.id, 'ownerId', c.owner_id, 'orderId', c.order_id, 'label', c.label,
  'status', c.status, 'cartonTypeId', c.carton_type_id, 'weightGrams', c.weight_grams, 'closedAt', c.closed_at, 'shortReason', c.short_reason)
from cartons c;

insert into sync_rows (tbl, id, owner_id, deleted, row)
select 'cartonLines', l.id, l.owner_id, false, json_build_object('id', l.id, 'ownerId', l.owner_id, 'orderId', l.order_id, 'cartonId', l.carton_id,
  'productId', l.product_id, 'lot', l.lot, 'serial', l.serial, 'qty', l.qty)
from carton_lines l;
