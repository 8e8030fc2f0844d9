-- Who holds a pick list (claim-pick-list): the picker who opened it last, by id and name, and since
-- when. Another device is told before it takes a held list over.
alter table pick_lists add column claimed_by text;
alter table pick_lists add column claimed_by_name text;
alter table pick_lists add column claimed_at text;
