-- What each mutation said, as the device sent it: the intent behind every result, reasons
-- included (an "Other bin" override, a damage or short reason), for supervisors and audits.
-- Rows stored before this migration have neither.
alter table mutation_results add column version integer;
alter table mutation_results add column args jsonb;
