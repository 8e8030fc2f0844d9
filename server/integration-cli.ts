// `npm run integration`: creates an owner's integration from the command line (same DATABASE_URL /
// DOCKHAND_DATA / SECRETS_KEY settings as `npm start`) and prints an API key the one time it exists.
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { readFlags, UsageError } from './cli-args';
import { readConfig, type Config } from './config';
import { openDb, type Db } from './db/index';
import { migrate } from './db/migrate';
import { createIntegration, NewIntegrationRequest, resolveOwner } from './integrations/integration-store';
import { setSecretsKey } from './integrations/secret-box';
import { ApiError } from './routes/errors';

const USAGE = `Usage: npm run integration -- --owner OWNER --type api [--name NAME]
       npm run integration -- --owner OWNER --type shopify --shop SHOP --secret SECRET [--name NAME]

  --owner OWNER   the owner (3PL client) by code (ACME) or id (own-acme)
  --type TYPE     api: issue an API key for the owner's systems to call Dockhand with
                  shopify: connect a shop whose webhooks Dockhand verifies
  --shop SHOP     shopify: the shop's domain, e.g. acme.myshopify.com
  --secret SECRET shopify: the webhook signing secret shown in the shop's admin
  --name NAME     what to call it (default: "API key", or the shop's domain)

The database is the server's: DATABASE_URL (postgres://…) when set, else PGlite in
DOCKHAND_DATA (default ./data); stop the server first when it uses the same PGlite folder.
Shopify secrets are sealed with SECRETS_KEY when set (see docs/security.md).`;

/** The command-line flag each field of the request comes from, for messages. */
const FLAG: Record<string, string> = { owner: '--owner', name: '--name', type: '--type', shopDomain: '--shop', webhookSecret: '--secret' };

export interface CliIo {
  /** An open database to use instead of the one the settings name (tests); left open. */
  db?: Db;
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

function parseRequest(argv: string[]): NewIntegrationRequest | 'help' {
  const values = readFlags(argv, {
    owner: { type: 'string' },
    type: { type: 'string' },
    name: { type: 'string' },
    shop: { type: 'string' },
    secret: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (values.owner === undefined) throw new UsageError('Say whose integration it is: --owner CODE or --owner ID.');
  if (values.type !== 'api' && values.type !== 'shopify') throw new UsageError(`--type must be api or shopify${values.type === undefined ? '' : `, not "${values.type}"`}.`);
  const parsed = NewIntegrationRequest.safeParse({
    owner: values.owner,
    type: values.type,
    name: values.name ?? (values.type === 'api' ? 'API key' : values.shop),
    shopDomain: values.shop,
    webhookSecret: values.secret,
  });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => `${FLAG[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`).join('\n'));
  }
  return parsed.data;
}

/** Runs the command with `argv` (the arguments after the script); answers the exit code: 0 done, 1 refused, 2 bad arguments. */
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => console.log(line));
  const err = io.err ?? ((line: string) => console.error(line));
  let request: NewIntegrationRequest | 'help';
  let config: Config;
  try {
    request = parseRequest(argv);
    config = readConfig(io.env ?? process.env);
  } catch (error) {
    // Bad flags or bad settings: said before the database is touched.
    const message = error instanceof Error ? error.message : String(error);
    err(error instanceof UsageError ? `integration: ${message}\n\n${USAGE}` : `integration: ${message}`);
    return 2;
  }
  if (request === 'help') {
    out(USAGE);
    return 0;
  }

  if (!io.db && !config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const db = io.db ?? (await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 }));
  try {
    await migrate(db);
    setSecretsKey(db, config.secretsKey);
    const { owner, ...rest } = request;
    const ownerId = await resolveOwner(db, owner, null);
    if (ownerId === null) {
      err(`integration: --owner: no owner ${owner}. Give an owner's code (e.g. ACME) or id. Nothing was created.`);
      return 2;
    }
    const { integration, apiKey } = await createIntegration(db, { ownerId, ...rest });
    const what = integration.type === 'shopify' ? `shop ${integration.shopDomain}` : `"${integration.name}"`;
    out(`Created ${integration.type} integration ${integration.id} (${what}) for owner ${owner} (${ownerId}).`);
    if (apiKey !== undefined) {
      out('\nAPI key — shown this once; store it in the client system now, it cannot be shown again:\n');
      out(`  ${apiKey}\n`);
      out('The client sends it with every request as "Authorization: Bearer <key>" (or "X-Api-Key: <key>").');
      out(`It acts for ${owner} only. Rotate or revoke it at /api/admin/integrations/${integration.id}/rotate or /revoke.`);
    } else {
      out(`Webhooks from ${integration.shopDomain} are now verified with the secret given; point the shop's webhooks at this server.`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ApiError) {
      err(`integration: ${error.message} Nothing was created.`);
      return 1;
    }
    throw error;
  } finally {
    if (!io.db) await db.close();
  }
}

// Run only as the script itself, not when a test imports `main`.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
    console.error('integration failed:', error instanceof Error ? error.message : error);
    return 1;
  });
}
