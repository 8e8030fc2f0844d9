-- The first load pages through sync_rows by its primary key (decision 0007), so:
-- * the key compares byte by byte (collation "C"): the order every device is served in is the
--   same on PGlite and on PostgreSQL whatever the database's locale, and it is the order of
--   JavaScript's `<` for ids without characters beyond U+FFFF;
-- * a row is kept as the JSON text it was written as (`json`, not `jsonb`): every pull hands it
--   out as text, and turning jsonb back into text was a fifth of a first load's database time.
alter table sync_rows
  alter column tbl type text collate "C",
  alter column id type text collate "C",
  alter column row type json using row::json;
