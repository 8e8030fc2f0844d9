// The simulated network between devices and API servers. Every request a device's fetch makes
// waits here as a message until the scheduler acts on it: deliver it (to a server the load
// balancer picks), drop it, duplicate it, or let the device give up while it still travels;
// its answer waits again to be delivered or dropped. Healed, it carries everything at once.
import type { ServerHost, SimRequest, SimResponse } from './server-host';
import type { Prng } from './prng';
import type { Trace } from './trace';

export interface Message {
  id: number;
  device: number;
  /** The device process that sent it; an answer reaches only that process. */
  incarnation: number;
  request: SimRequest;
  stage: 'request' | 'response';
  response: SimResponse | null;
  /** Nobody waits for the answer: a duplicate, or a request its device stopped waiting for. */
  orphan: boolean;
  settle: ((response: Response) => void) | null;
  fail: ((error: Error) => void) | null;
}

/** Which device process is running now, per device slot. */
export type Incarnations = (device: number) => number;

const describeMessage = (message: Message) => {
  const body = message.request.body ? summarizeBody(message.request.body) : '';
  return `#${message.id} d${message.device}.${message.incarnation} ${message.request.method} ${message.request.url.split('?')[0]}${body}`;
};

function summarizeBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { mutations?: { seq: number }[] };
    const seqs = parsed.mutations?.map((m) => m.seq) ?? [];
    return seqs.length ? ` seq ${seqs[0]}..${seqs[seqs.length - 1]}` : '';
  } catch {
    return '';
  }
}

const networkError = () => new TypeError('Failed to fetch');

export class SimNetwork {
  private readonly messages: Message[] = [];
  private nextId = 1;
  /** Healed: every request is carried to a live server and answered at once. */
  private healed = false;

  constructor(
    private readonly host: ServerHost,
    private readonly prng: Prng,
    private readonly trace: Trace,
    private readonly current: Incarnations,
  ) {}

  /** What device `device`'s process `incarnation` uses as `fetch`. */
  fetchFor(device: number, incarnation: number): typeof fetch {
    return (input, init) => {
      const url = new URL(String(input), 'http://dockhand.test');
      const request: SimRequest = {
        method: (init?.method ?? 'GET') as SimRequest['method'],
        url: url.pathname + url.search,
        headers: { ...(init?.headers as Record<string, string> | undefined) },
        body: typeof init?.body === 'string' ? init.body : undefined,
      };
      return new Promise<Response>((settle, fail) => {
        const message: Message = { id: this.nextId++, device, incarnation, request, stage: 'request', response: null, orphan: false, settle, fail };
        this.trace.log(`send ${describeMessage(message)}`);
        this.messages.push(message);
      });
    };
  }

  inFlight(): readonly Message[] {
    return this.messages;
  }

  /** Requests still on their way to a server. */
  requests(): Message[] {
    return this.messages.filter((message) => message.stage === 'request');
  }

  /** Answers on their way back to a device. */
  responses(): Message[] {
    return this.messages.filter((message) => message.stage === 'response');
  }

  /** Delivers `message` one hop: a request to a live server (the load balancer's pick), an answer to its device. */
  async deliver(message: Message): Promise<void> {
    if (this.messages[0] !== message) this.trace.fault('reorders', `${describeMessage(message)} overtakes #${this.messages[0]!.id}`);
    if (message.stage === 'request') await this.toServer(message);
    else this.toDevice(message);
  }

  /**
   * Carries a request to server `server`, which dies at its `queries`-th database query from now
   * (mid-push: only the transactions before it commit) or, if it gets that far, right after
   * answering: the answer is lost either way.
   */
  async deliverTo(message: Message, server: number, queries: number): Promise<void> {
    this.host.armKill(server, queries);
    const answer = await this.host.handle(server, message.request);
    if (answer !== 'died') this.host.kill(server);
    this.trace.log(`lost ${describeMessage(message)}: server ${server} died ${answer === 'died' ? 'handling it' : `after answering ${answer.status}`}`);
    this.remove(message);
    this.failDevice(message);
  }

  /**
   * Hands two requests to the servers at once: their transactions interleave on the database.
   * Which answer is ready first is a race on a loaded machine, so the trace tells them in the
   * order they were sent, and a seed replays to the same trace.
   */
  async deliverTogether(first: Message, second: Message): Promise<void> {
    this.trace.fault('overlaps', `${describeMessage(first)} and ${describeMessage(second)} handled together`);
    const told: string[][] = [[], []];
    await Promise.all([first, second].map((message, i) => this.toServer(message, (line) => told[i]!.push(line))));
    for (const line of told.flat()) this.trace.log(line);
  }

  dropRequest(message: Message): void {
    this.trace.fault('requestDrops', describeMessage(message));
    this.remove(message);
    this.failDevice(message);
  }

  dropResponse(message: Message): void {
    this.trace.fault('responseDrops', `${describeMessage(message)} (answered ${message.response?.status})`);
    this.remove(message);
    this.failDevice(message);
  }

  /** A copy of the request travels on its own and may arrive any time later; nobody waits for its answer. */
  duplicate(message: Message): void {
    const copy: Message = { ...message, id: this.nextId++, orphan: true, settle: null, fail: null };
    this.messages.push(copy);
    this.trace.fault('duplicates', `${describeMessage(message)} copied as #${copy.id}`);
  }

  /** The device gives up waiting (a timeout) while the request is still on its way: it may arrive late. */
  delay(message: Message): void {
    this.trace.fault('delays', `${describeMessage(message)}: the device times out, the request travels on`);
    this.failDevice(message);
    message.orphan = true;
    // Moved to the back: it arrives after newer requests unless the scheduler picks it sooner.
    this.remove(message);
    this.messages.push(message);
  }

  /**
   * Healed: nothing is dropped, duplicated or delayed any more, and `carryNext` takes the oldest
   * message one hop. The scheduler carries them one at a time and lets the world settle between
   * (simulation `pump`), so even the final syncs replay in the same order.
   */
  heal(): void {
    this.healed = true;
  }

  /** From now on every message waits for the scheduler's faults again. */
  breakDown(): void {
    this.healed = false;
  }

  /** Carries the oldest message one hop on a healed network; false when none travels. */
  async carryNext(): Promise<boolean> {
    if (!this.healed) throw new Error('carryNext is for a healed network.');
    const next = this.messages[0];
    if (!next) return false;
    await this.carry(next);
    return true;
  }

  private async carry(message: Message): Promise<void> {
    if (message.stage === 'request') await this.toServer(message);
    if (message.stage === 'response') this.toDevice(message);
  }

  private async toServer(message: Message, log: (line: string) => void = (line) => this.trace.log(line)): Promise<void> {
    const live = this.host.liveServers();
    if (live.length === 0) {
      log(`refused ${describeMessage(message)}: no server is up`);
      this.remove(message);
      this.failDevice(message);
      return;
    }
    const server = this.prng.pick(live);
    const answer = await this.host.handle(server, message.request);
    if (answer === 'died') {
      log(`lost ${describeMessage(message)}: server ${server} died handling it`);
      this.remove(message);
      this.failDevice(message);
      return;
    }
    log(`server ${server} answers ${describeMessage(message)}: ${answer.status}${answer.status === 200 ? '' : ` ${answer.body.slice(0, 160)}`}`);
    message.stage = 'response';
    message.response = answer;
    if (message.orphan) this.remove(message);
  }

  private toDevice(message: Message): void {
    this.remove(message);
    const answer = message.response!;
    if (message.orphan || !message.settle || this.current(message.device) !== message.incarnation) return;
    this.trace.log(`receive ${describeMessage(message)}`);
    message.settle(new Response(answer.status === 204 ? null : answer.body, { status: answer.status, headers: { 'content-type': answer.contentType } }));
  }

  /** The device's fetch fails (if anyone still waits for it). */
  private failDevice(message: Message): void {
    const fail = message.fail;
    message.settle = null;
    message.fail = null;
    if (fail && this.current(message.device) === message.incarnation) fail(networkError());
  }

  private remove(message: Message): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }
}
