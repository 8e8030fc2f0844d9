// Small helpers for talking to the in-process server the way a device does.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MutationEnvelope } from '../../src/domain';
import { SYNC_SCHEMA, SYNC_SCHEMA_HEADER } from '../../src/domain/sync-protocol';
import type { PullResponse } from '../../server/sync/pull';
import type { MutationResult } from '../../server/sync/results';

export function mutation(seq: number, type: string, args: Record<string, unknown>, version = 1): MutationEnvelope {
  return { id: randomUUID(), seq, type, version, args, clientTime: new Date().toISOString() };
}

export async function push(app: FastifyInstance, headers: { authorization: string }, mutations: MutationEnvelope[]) {
  const response = await app.inject({ method: 'POST', url: '/api/sync/push', headers, payload: { mutations } });
  return { status: response.statusCode, body: response.json<{ results: MutationResult[]; expectedSeq?: number; error?: string; message?: string }>() };
}

export async function pull(app: FastifyInstance, headers: { authorization: string }, query: { cursor?: string; limit?: number; resultsAfter?: number } = {}) {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  // Today's app: it knows every synced table (sync-protocol SYNC_SCHEMA).
  const response = await app.inject({ method: 'GET', url: `/api/sync/pull?${params}`, headers: { [SYNC_SCHEMA_HEADER]: String(SYNC_SCHEMA), ...headers } });
  return { status: response.statusCode, body: response.json<PullResponse>() };
}

/**
 * Pulls every page from `cursor`, as a device does: the changes in order, the final cursor, and the
 * last page's results and next sequence.
 */
export async function pullAll(app: FastifyInstance, headers: { authorization: string }, cursor = '', limit = 1000, resultsAfter = 0) {
  const changes: PullResponse['changes'] = [];
  for (;;) {
    const { status, body } = await pull(app, headers, { cursor, limit, resultsAfter });
    if (status !== 200) throw new Error(`pull answered ${status}`);
    changes.push(...body.changes);
    cursor = body.cursor;
    if (!body.hasMore) return { changes, cursor, results: body.results, nextSeq: body.nextSeq };
  }
}

export const pickArgs = (pickLineId: string, locationId: string, productId: string, qty = 1) => ({ pickLineId, locationId, productId, qty });

/** A device as the pull protocol sees it: its rows by `table/id`, its cursor and the scopes it was told. */
export class DeviceModel {
  rows = new Map<string, Record<string, unknown>>();
  cursor = '';
  scopesTold: (string[] | null)[] = [];

  constructor(private readonly server: { app: FastifyInstance }, readonly headers: { authorization: string }) {}

  /** Applies one page as the device does: drop what left the scope, then the changes, then the cursor. */
  apply(page: PullResponse): void {
    if (page.scope) {
      const owners = page.scope.ownerIds;
      this.scopesTold.push(owners);
      for (const [key, row] of this.rows) {
        const owner = key.startsWith('owners/') ? row['id'] : (row['ownerId'] ?? null);
        if (owners !== null && owner !== null && !owners.includes(owner as string)) this.rows.delete(key);
      }
    }
    for (const change of page.changes) {
      const key = `${change.table}/${change.id}`;
      if (change.op === 'put') this.rows.set(key, change.row!);
      else this.rows.delete(key);
    }
    this.cursor = page.cursor;
  }

  async pullOnce(limit = 1000): Promise<PullResponse> {
    const { status, body } = await pull(this.server.app, this.headers, { cursor: this.cursor, limit });
    if (status !== 200) throw new Error(`pull answered ${status}`);
    this.apply(body);
    return body;
  }

  async sync(limit = 1000): Promise<PullResponse> {
    for (;;) {
      const page = await this.pullOnce(limit);
      if (!page.hasMore) return page;
    }
  }
}

/** A Shopify integration of owner BETA (an admin's request); answers its id. */
export async function connectShopify(app: FastifyInstance, admin: { authorization: string }, shop: { domain: string; secret: string }): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/admin/integrations',
    headers: admin,
    payload: { owner: 'BETA', name: 'Beta web store', type: 'shopify', shopDomain: shop.domain, webhookSecret: shop.secret },
  });
  if (response.statusCode !== 201) throw new Error(`connecting the shop answered ${response.statusCode}: ${response.body}`);
  return response.json<{ integration: { id: string } }>().integration.id;
}
