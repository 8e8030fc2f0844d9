-- Telling the store what shipped (issue 14): an integration's fulfillment callback, and the
-- outbox of notices written in the transaction that ships an order, delivered after it commits.

-- Where the integration hears of shipments (https, or http on localhost), and for an `api`
-- integration the secret its notices are signed with, sealed with the server key (a `shopify`
-- integration's notices are signed with its webhook secret).
alter table integrations add column fulfillment_callback_url text;
alter table integrations add column fulfillment_signing_secret text;

create table fulfillment_notices (
  id bigserial primary key,
  owner_id text not null references owners(id),
  order_id text not null references orders(id),
  integration_id text not null references integrations(id),
  -- Sent as the Idempotency-Key header, the same on every attempt: `shipment:<shipment id>`.
  idempotency_key text not null unique,
  payload jsonb not null,
  -- pending until the receiver answers 2xx; cancelled when nobody is left to tell (the callback
  -- was cleared or the integration revoked). A failing notice stays pending and is tried forever.
  status text not null default 'pending' check (status in ('pending', 'delivered', 'cancelled')),
  attempts integer not null default 0,
  -- When it is next due; a server sending it pushes this past the send's timeout (a lease).
  next_attempt_at timestamptz not null default now(),
  last_attempt_at timestamptz,
  -- The receiver's last HTTP status (null: no answer), and what went wrong.
  last_status smallint,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index fulfillment_notices_due on fulfillment_notices (next_attempt_at) where status = 'pending';
create index fulfillment_notices_owner_pending on fulfillment_notices (owner_id, created_at) where status = 'pending';
