-- Integrations (issue 13): an owner's Shopify shops and API clients, and their secrets. An API key
-- is kept only as its SHA-256; a Shopify webhook secret, which the HMAC check needs in clear, is
-- kept sealed with the server key (server/integrations/secret-box.ts).

create table integrations (
  id text primary key,
  owner_id text not null references owners(id),
  name text not null,
  type text not null check (type in ('shopify', 'api')),
  -- The shop's lower-case host name: set for a shopify integration, and only for one.
  shop_domain text,
  created_at timestamptz not null default now(),
  -- Set once; from then on none of the integration's secrets counts.
  revoked_at timestamptz,
  check ((type = 'shopify') = (shop_domain is not null))
);
-- One shop, one live integration: a webhook names its shop, and that must decide one owner.
create unique index integrations_live_shop on integrations (shop_domain) where revoked_at is null;
create index integrations_owner on integrations (owner_id);

-- One row per secret. The current one has no expiry; a rotation gives the ones before it an
-- expires_at (the end of the rotation window), after which they no longer count.
create table integration_secrets (
  id text primary key,
  integration_id text not null references integrations(id),
  -- api: SHA-256 (hex) of the whole key.
  key_hash text,
  -- shopify: the webhook secret sealed with AES-256-GCM under the server key.
  sealed_secret text,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  check ((key_hash is null) <> (sealed_secret is null))
);
create index integration_secrets_integration on integration_secrets (integration_id);

-- The key that seals secrets when SECRETS_KEY is not set: made once by the first server that
-- needs it, so every API server on this database agrees.
create table server_keys (
  name text primary key,
  key text not null,
  created_at timestamptz not null default now()
);
