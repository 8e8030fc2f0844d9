// The page's side of the submission worker, against the worker's own code on a second connection
// (as a real worker has): results cross unchanged, and a worker that dies never costs a scan and
// never records one twice.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureDb } from '../../test/support/fixture-db';
import type { Actor } from '../domain/rules/types';
import type { DockhandDb } from './db';
import { MalformedMutationError, submitMutation, type SubmitInput } from './outbox';
import { SubmitBridge, type SubmitWorker } from './submit-bridge';
import { serveSubmissions, type HostPort } from './submit-host';
import type { SubmitReply, SubmitRequest } from './submit-protocol';

const ACTOR: Actor = { userId: 'usr-op', deviceId: 'dev-1', role: 'operator', ownerIds: null };
const NOW = new Date('2026-11-24T12:00:00Z');
const PICK: SubmitInput<'pick'> = { type: 'pick', actor: ACTOR, now: NOW, args: { pickLineId: 'pln-1', locationId: 'loc-a01', productId: 'prd-a1', qty: 1 } };

let db: DockhandDb;

beforeEach(async () => {
  db = await fixtureDb('bridge');
});

afterEach(async () => {
  db.close();
  await db.delete();
});

type Behaviour = 'serve' | 'die-after-commit' | 'die-before-commit';

/** A worker running the real host code in this thread, delivering messages asynchronously as a worker does. */
function fakeWorker(behaviour: Behaviour): SubmitWorker & { terminated: boolean } {
  const pageListeners: { message: ((event: MessageEvent<SubmitReply>) => void)[]; error: ((event: Event) => void)[] } = { message: [], error: [] };
  const hostListeners: ((event: MessageEvent<SubmitRequest>) => void)[] = [];
  const die = () => setTimeout(() => pageListeners.error.forEach((listener) => listener(new Event('error'))));
  const port: HostPort = {
    postMessage: (reply) => {
      if (behaviour === 'die-after-commit') die();
      else setTimeout(() => pageListeners.message.forEach((listener) => listener({ data: reply } as MessageEvent<SubmitReply>)));
    },
    addEventListener: (_type, listener) => hostListeners.push(listener),
  };
  serveSubmissions(port);
  return {
    terminated: false,
    postMessage(message) {
      if (behaviour === 'die-before-commit') return die();
      setTimeout(() => hostListeners.forEach((listener) => listener({ data: message } as MessageEvent<SubmitRequest>)));
    },
    addEventListener(type: 'message' | 'error', listener: never) {
      (pageListeners[type] as unknown[]).push(listener);
    },
    terminate() {
      this.terminated = true;
    },
  };
}

describe('SubmitBridge', () => {
  it('submits through the worker, answering what submitting here answers', async () => {
    const bridge = new SubmitBridge(() => fakeWorker('serve'));
    const result = await bridge.submit(db, PICK);
    expect(result).toMatchObject({ ok: true, seq: 1, changes: expect.arrayContaining([expect.objectContaining({ table: 'pickLines', id: 'pln-1' })]) });
    expect(await bridge.submit(db, PICK)).toMatchObject({ ok: true, seq: 2 });
    expect(await db.pickLines.get('pln-1')).toMatchObject({ pickedQty: 2 });
    expect(await bridge.submit(db, { ...PICK, args: { ...PICK.args, qty: 5 } })).toMatchObject({ ok: false, rejection: { code: 'OVERPICK' } });
  });

  it('hands back a malformed submission as the same error', async () => {
    const bridge = new SubmitBridge(() => fakeWorker('serve'));
    await expect(bridge.submit(db, { ...PICK, args: { ...PICK.args, pickLineId: '' } })).rejects.toBeInstanceOf(MalformedMutationError);
    expect(await db.outbox.count()).toBe(0);
  });

  it('finds a scan the worker committed before dying in the outbox, and does not record it twice', async () => {
    let worker: ReturnType<typeof fakeWorker> | undefined;
    const bridge = new SubmitBridge(() => (worker = fakeWorker('die-after-commit')));
    expect(await bridge.submit(db, PICK)).toMatchObject({ ok: true, seq: 1 });
    expect(worker?.terminated).toBe(true);
    expect(await db.outbox.count()).toBe(1);
    expect(await db.pickLines.get('pln-1')).toMatchObject({ pickedQty: 1 });
    // From then on, submissions run on the page.
    expect(await bridge.submit(db, PICK)).toMatchObject({ ok: true, seq: 2 });
    expect(await db.pickLines.get('pln-1')).toMatchObject({ pickedQty: 2 });
  });

  it('submits on the page a scan the worker died holding, once', async () => {
    const bridge = new SubmitBridge(() => fakeWorker('die-before-commit'));
    expect(await bridge.submit(db, PICK)).toMatchObject({ ok: true, seq: 1 });
    expect(await db.outbox.count()).toBe(1);
    expect(await db.pickLines.get('pln-1')).toMatchObject({ pickedQty: 1 });
  });

  it('submits on the page when no worker can start', async () => {
    const bridge = new SubmitBridge(() => {
      throw new Error('Workers are not allowed here');
    });
    expect(await bridge.submit(db, PICK)).toMatchObject({ ok: true, seq: 1 });
    expect(await submitMutation(db, PICK)).toMatchObject({ ok: true, seq: 2 });
  });
});
