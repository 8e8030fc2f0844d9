// One fault-model run per seed: a small warehouse, 3–5 devices and 1–2 API servers over one
// database, driven by the scheduler one step at a time (every choice from the seed's PRNG), then
// healed, synced to the end and checked. `FaultModel` keeps the database and the signed-in
// template between runs, since booting PGlite and hashing PINs cost seconds.
import 'fake-indexeddb/auto';
import { buildApp } from '../../server/app';
import { signIn } from '../../src/features/sign-in/commands';
import { DockhandDb, type MetaRow } from '../../src/storage/db';
import { getOrCreateDeviceId } from '../../src/storage/session-repo';
import { serverFetch } from '../support/server-fetch';
import { SimDevice, WorldClock, type Confirmed, type Operation } from './device-host';
import { checkInvariants, type CheckContext } from './invariants';
import { SimNetwork, type Message } from './network';
import { Prng } from './prng';
import { ServerHost, SharedDatabase } from './server-host';
import { Trace, type FaultCounts } from './trace';
import { DEVICE_USERS, deviceIdOf, generateWarehouse, MAX_DEVICES, START_TIME, TODAY } from './warehouse';

/** Steps a run takes before the network heals, at least and at most. */
export const MIN_STEPS = 20;
export const MAX_STEPS = 50;
/** Lines of the trace a failure prints. */
export const FAILURE_TAIL = 60;

export interface RunReport {
  seed: number;
  devices: number;
  servers: number;
  steps: number;
  faults: FaultCounts;
  confirmed: number;
  refusedLocally: number;
  applied: number;
  rejected: number;
  /** Wall time of the run, and the CPU time this process spent on it (the machine is shared). */
  ms: number;
  cpuMs: number;
  /** Invariants broken (or the error that ended the run); empty when it passed. */
  violations: string[];
  trace: Trace;
}

export interface RunOptions {
  /** Steps before the network heals; by default drawn from the seed. */
  steps?: number;
  /** Runs once everything has synced, just before the checks (tests of the checks break things here). */
  beforeCheck?: (world: CheckContext) => Promise<void>;
}

type Action =
  | 'operate'
  | 'sync'
  | 'timer'
  | 'deliver'
  | 'deliverTogether'
  | 'dropRequest'
  | 'dropResponse'
  | 'duplicate'
  | 'delay'
  | 'killServer'
  | 'killMidRequest'
  | 'restartServer'
  | 'restartDevice';

const OPERATIONS: readonly (readonly [Operation, number])[] = [['pick', 5], ['move', 3], ['receive', 2]];

/** CPU milliseconds, user and system, since `since`. */
function cpuTime(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** One turn of the event loop: lets IndexedDB and PGlite work queued so far move on. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One round of timers: zero-delay timers (Dexie's live queries, say) run too, not only immediates. */
const timerRound = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Timer rounds in a row with nothing moving before the world counts as settled. */
const SETTLED_ROUNDS = 2;
/** Timer rounds at most before a step's aftermath is taken as hung. */
const SETTLE_LIMIT = 20_000;

/**
 * Lets the work a step set off run until every device is idle or waiting on the network, and
 * nothing else moves (timers set, messages sent, counts shown). The scheduler's next choice must
 * not depend on how far a loaded machine got in one turn of the event loop: in Node a zero-delay
 * timer against an immediate is itself a race, so a fixed number of turns does not replay.
 */
async function settle(clock: WorldClock, network: SimNetwork, devices: readonly SimDevice[]): Promise<void> {
  const waitingOnNetwork = (device: SimDevice) =>
    network.inFlight().some((message) => message.device === device.index && message.incarnation === device.incarnation && message.settle !== null && !message.orphan);
  const signature = () => JSON.stringify([
    clock.pending,
    network.inFlight().map((message) => `${message.id}${message.stage}`),
    devices.map((device) => [device.incarnation, device.status.getState().syncing, device.status.getState().pendingCount]),
  ]);
  let last = signature();
  let still = 0;
  for (let round = 0; round < SETTLE_LIMIT; round++) {
    await timerRound();
    await tick();
    const now = signature();
    const blocked = devices.every((device) => !device.status.getState().syncing || waitingOnNetwork(device));
    still = now === last && blocked ? still + 1 : 0;
    if (still >= SETTLED_ROUNDS) return;
    last = now;
  }
  throw new Error(`the devices never settled after a step: ${last}`);
}

/**
 * While a run lasts, `crypto.randomUUID` (mutation ids on the device) draws from the seed, so a
 * replay's trace names the same mutations. Answers the restore.
 */
function seedIds(prng: Prng): () => void {
  const original = Object.getOwnPropertyDescriptor(globalThis.crypto, 'randomUUID');
  Object.defineProperty(globalThis.crypto, 'randomUUID', { configurable: true, writable: true, value: () => prng.uuid() });
  return () => {
    if (original) Object.defineProperty(globalThis.crypto, 'randomUUID', original);
    else delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
  };
}

/** The console while a run lasts: the engine's and server's complaints go into the trace. */
function captureConsole(trace: Trace): () => void {
  const saved = { error: console.error, warn: console.warn };
  const keep = (kind: string) => (...args: unknown[]) => trace.log(`console.${kind}: ${args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : String(arg))).join(' ').slice(0, 200)}`);
  console.error = keep('error');
  console.warn = keep('warn');
  return () => Object.assign(console, saved);
}

export class FaultModel {
  private runs = 0;

  private constructor(
    private readonly shared: SharedDatabase,
    /** Per device slot, its `meta` rows right after signing in: the device id and session. */
    private readonly signedIn: MetaRow[][],
  ) {}

  /** Opens the database (PostgreSQL at `databaseUrl`, else PGlite) and signs every device slot in once. */
  static async create(options: { databaseUrl?: string } = {}): Promise<FaultModel> {
    const shared = await SharedDatabase.open(options.databaseUrl);
    await shared.createUsers([...DEVICE_USERS]);
    const app = await buildApp({ db: shared.db, today: () => TODAY, allocationInBackground: false, fulfillment: { background: false } });
    const signedIn: MetaRow[][] = [];
    try {
      for (let index = 0; index < MAX_DEVICES; index++) {
        const user = DEVICE_USERS[index]!;
        const db = new DockhandDb(`fault-model-template-d${index}`);
        await getOrCreateDeviceId(db, () => deviceIdOf(index));
        const result = await signIn(user.username, user.pin, { db, fetch: serverFetch(app), isOnline: () => true, now: () => START_TIME });
        if (!result.ok) throw new Error(`Signing in ${user.username} for the template failed: ${result.message}`);
        signedIn.push(await db.meta.toArray());
        db.close();
        await db.delete();
      }
    } finally {
      await app.close();
    }
    await shared.saveTemplate();
    return new FaultModel(shared, signedIn);
  }

  async close(): Promise<void> {
    await this.shared.close();
  }

  /** Runs seed `seed` to the end and checks it; never throws for what the run finds. */
  async run(seed: number, options: RunOptions = {}): Promise<RunReport> {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const prng = new Prng(seed);
    const trace = new Trace();
    const restoreIds = seedIds(prng.fork());
    const restoreConsole = captureConsole(trace);
    const warehouse = generateWarehouse(prng);
    const deviceCount = prng.int(3, MAX_DEVICES);
    const serverCount = prng.int(1, 2);
    const steps = options.steps ?? prng.int(MIN_STEPS, MAX_STEPS);
    const confirmed: Confirmed[] = [];
    const violations: string[] = [];
    const host = new ServerHost(this.shared.db, serverCount);
    const clock = new WorldClock(START_TIME);
    const devices: SimDevice[] = [];
    const network = new SimNetwork(host, prng.fork(), trace, (index) => devices[index]!.incarnation);
    trace.log(`seed ${seed}: ${deviceCount} devices, ${serverCount} servers, ${steps} steps; stock ${warehouse.rows.stock!.map((s) => `${s.id}=${s.qty}`).join(' ')}`);
    try {
      await this.shared.reset(warehouse);
      await host.start();
      const runId = `${++this.runs}`;
      for (let index = 0; index < deviceCount; index++) {
        const device = new SimDevice(index, DEVICE_USERS[index]!.ownerIds, runId, network, clock, prng.fork(), trace, confirmed);
        await device.install(this.signedIn[index]!);
        devices.push(device);
      }
      trace.log('start of shift: every device loads its scope over a sound network');
      network.heal();
      await drain(clock, network, devices);
      network.breakDown();
      await settle(clock, network, devices);
      for (trace.steps = 1; trace.steps <= steps; trace.steps++) {
        await step(prng, trace, clock, network, host, devices);
        await settle(clock, network, devices);
        clock.time += prng.int(50, 3000);
      }
      trace.log('heal: every server up, the network carries everything, every device syncs to the end');
      for (const index of host.deadServers()) await host.restart(index);
      network.heal();
      await drain(clock, network, devices);
      const world: CheckContext = { db: this.shared.db, devices, deviceIds: devices.map((d) => deviceIdOf(d.index)), confirmed };
      await options.beforeCheck?.(world);
      violations.push(...(await checkInvariants(world)));
    } catch (error) {
      violations.push(`the run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    } finally {
      restoreConsole();
      restoreIds();
      for (const device of devices) await device.dispose().catch(() => undefined);
      host.stop();
    }
    const { rows } = await this.shared.db.query<{ status: string; n: number }>('select status, count(*)::int as n from mutation_results group by status');
    const count = (status: string) => rows.find((row) => row.status === status)?.n ?? 0;
    return {
      seed, devices: deviceCount, servers: serverCount, steps, faults: trace.faults,
      confirmed: trace.confirmed, refusedLocally: trace.refusedLocally, applied: count('applied'), rejected: count('rejected'),
      ms: performance.now() - started, cpuMs: cpuTime(cpu), violations, trace,
    };
  }
}

/** On a healed network: carries messages one at a time, oldest first, until none travels and the world has settled. */
async function pump(clock: WorldClock, network: SimNetwork, devices: readonly SimDevice[]): Promise<void> {
  do await settle(clock, network, devices);
  while (await network.carryNext());
}

/**
 * Syncs every device, in rounds until every outbox is empty; then the devices that synced before
 * the last round's last push sync once more, so each has pulled everything the others pushed.
 * One device at a time, its messages carried in order: the final syncs replay too.
 */
async function drain(clock: WorldClock, network: SimNetwork, devices: readonly SimDevice[]): Promise<void> {
  const syncToEnd = async (device: SimDevice) => {
    const synced = device.engine.syncNow();
    await pump(clock, network, devices);
    await synced;
    await pump(clock, network, devices);
  };
  const waiting = () => Promise.all(devices.map((device) => device.db.outbox.count()));
  await pump(clock, network, devices);
  let counts = await waiting();
  let lastPusher = -1;
  for (let round = 0; round === 0 || counts.some((count) => count > 0); round++) {
    if (round === 10) throw new Error(`outboxes still hold ${counts.join(', ')} entries after ${round} rounds of syncing`);
    lastPusher = -1;
    for (const [position, device] of devices.entries()) {
      if (counts[position]! > 0) lastPusher = position;
      await syncToEnd(device);
    }
    counts = await waiting();
  }
  for (const device of devices.slice(0, Math.max(lastPusher, 0))) await syncToEnd(device);
}

/** The sequence numbers a push request carries. */
function pushedSeqs(message: Message): { first: number; last: number } {
  const { mutations } = JSON.parse(message.request.body!) as { mutations: { seq: number }[] };
  return { first: mutations[0]!.seq, last: mutations[mutations.length - 1]!.seq };
}

/** One scheduler step: picks an action among those possible now and performs it. */
async function step(prng: Prng, trace: Trace, clock: WorldClock, network: SimNetwork, host: ServerHost, devices: readonly SimDevice[]): Promise<void> {
  const requests = network.requests();
  const awaited = (message: Message) => !message.orphan && message.settle !== null;
  const answers = network.responses().filter(awaited);
  const live = host.liveServers();
  const dead = host.deadServers();
  const action = prng.weighted<Action>([
    ['operate', 30],
    ['sync', 10],
    ['timer', clock.pending > 0 ? 6 : 0],
    ['deliver', network.inFlight().length > 0 ? 35 : 0],
    ['deliverTogether', requests.length > 1 ? 6 : 0],
    ['dropRequest', requests.some(awaited) ? 3 : 0],
    ['dropResponse', answers.length > 0 ? 3 : 0],
    ['duplicate', requests.length > 0 ? 3 : 0],
    ['delay', requests.some(awaited) ? 2 : 0],
    ['killServer', live.length > 0 ? 1 : 0],
    ['killMidRequest', live.length > 0 && requests.length > 0 ? 5 : 0],
    ['restartServer', dead.length > 0 ? 15 : 0],
    ['restartDevice', 1.5],
  ])!;
  switch (action) {
    case 'operate': {
      const device = prng.pick(devices);
      const operation = prng.weighted(OPERATIONS)!;
      if (!(await device.operate(operation))) trace.log(`d${device.index} has nothing to ${operation}`);
      return;
    }
    case 'sync': {
      const device = prng.pick(devices);
      trace.log(`d${device.index} sync trigger`);
      device.requestSync();
      return;
    }
    case 'timer': {
      const device = clock.fireNext();
      trace.log(`d${device} timer fires at +${Math.round((clock.time - START_TIME) / 1000)} s`);
      return;
    }
    case 'deliver': {
      const inFlight = network.inFlight();
      // Mostly in order; sometimes any message overtakes the ones sent before it.
      await network.deliver(prng.chance(0.6) ? inFlight[0]! : prng.pick(inFlight));
      return;
    }
    case 'deliverTogether': {
      const first = prng.pick(requests);
      await network.deliverTogether(first, prng.pick(requests.filter((message) => message !== first)));
      return;
    }
    case 'dropRequest':
      network.dropRequest(prng.pick(requests.filter(awaited)));
      return;
    case 'dropResponse':
      network.dropResponse(prng.pick(answers));
      return;
    case 'duplicate':
      network.duplicate(prng.pick(requests));
      return;
    case 'delay':
      network.delay(prng.pick(requests.filter(awaited)));
      return;
    case 'killServer': {
      const index = prng.pick(live);
      trace.fault('serverKills', `server ${index} killed between requests`);
      host.kill(index);
      return;
    }
    case 'killMidRequest': {
      // Pushes are where a kill hurts: prefer one.
      const pushes = requests.filter((message) => message.request.url.startsWith('/api/sync/push'));
      const message = prng.pick(pushes.length > 0 ? pushes : requests);
      const index = prng.pick(live);
      const queries = prng.int(0, 40);
      trace.fault('killsMidRequest', `server ${index} dies at its query ${queries} of #${message.id}`);
      const batch = message.request.url.startsWith('/api/sync/push') ? pushedSeqs(message) : null;
      const deviceId = deviceIdOf(message.device);
      const before = batch ? await host.storedResults(deviceId, batch.first, batch.last) : 0;
      await network.deliverTo(message, index, queries);
      if (batch) {
        const after = await host.storedResults(deviceId, batch.first, batch.last);
        if (after > before && after < batch.last - batch.first + 1) {
          trace.fault('killsInsidePush', `${after - before} of the push's mutations committed before the kill, ${batch.last - batch.first + 1 - after} did not`);
        }
      }
      return;
    }
    case 'restartServer': {
      const index = prng.pick(dead);
      await host.restart(index);
      trace.log(`server ${index} restarted (a new instance over the same database)`);
      return;
    }
    case 'restartDevice': {
      const device = prng.pick(devices);
      const mid = network.inFlight().some((message) => message.device === device.index && awaited(message));
      trace.fault(mid ? 'deviceRestartsMidRequest' : 'deviceRestarts', `d${device.index} restarts${mid ? ' with a request in flight' : ''}`);
      await device.restart();
      device.requestSync();
      return;
    }
  }
}
