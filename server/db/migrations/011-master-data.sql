-- Master data imports (issue 13): a product's unit weight and dimensions, kept on the server only
-- (the synced Product row does not carry them yet, and `putRow` writes only its own columns, so
-- they survive every sync write), and the index the ledger export reads in time order.
alter table products add column unit_weight_g double precision check (unit_weight_g >= 0);
alter table products add column length_mm double precision check (length_mm >= 0);
alter table products add column width_mm double precision check (width_mm >= 0);
alter table products add column height_mm double precision check (height_mm >= 0);

create index stock_movements_created on stock_movements (created_at, id);
