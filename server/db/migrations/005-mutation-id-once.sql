-- A mutation id is applied or rejected once across every device: at most one result per id that
-- is not DUPLICATE_MUTATION_ID. A mutation that reuses an id (a second device, or a new sequence
-- number of the same device) gets a result of its own with that code, stored under its own
-- (device_id, seq), so its sequence advances and a resend of it is answered from that result.
-- Two devices sending one id at once: the second insert waits on the first's index entry and,
-- once that commits, fails with 23505, and push stores the duplicate rejection instead.
alter table mutation_results drop constraint mutation_results_mutation_id_key;
create unique index mutation_results_mutation_id_once on mutation_results (mutation_id)
  where code is distinct from 'DUPLICATE_MUTATION_ID';
