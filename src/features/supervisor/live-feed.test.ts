// The live feed's connection logic against a scripted fake fetch: events reach the handlers of
// their kinds, a reset reaches every handler, a drop reconnects with Last-Event-ID after a backoff
// that doubles to 15 s, and the last unsubscribe closes the stream.
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../sync/api-client';
import { createLiveFeed, RECONNECT_MAX_MS, type LiveEvent } from './live-feed';

/** One answer of the fake server: a stream of SSE text, then a break (or a clean end), or a refusal. */
type Answer = { events: string[]; then: 'break' | 'end' } | { status: number } | 'unreachable';

const sse = (id: number, event: string, data: object) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const applied = (id: number, seq: number) => sse(id, 'mutation-applied', { at: '2026-11-25T10:00:00.000Z', type: 'pick', deviceId: 'dev-1', userId: 'usr-1', seq, pickListId: 'pl-1' });

function fakeServer(answers: Answer[]) {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    requests.push({ url: String(input), headers: { ...(init?.headers as Record<string, string>) } });
    const answer = answers.shift();
    const signal = init?.signal;
    if (!answer) {
      // Nothing more scripted: the connection hangs until the feed closes it.
      return new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    }
    if (answer === 'unreachable') throw new TypeError('fetch failed');
    if ('status' in answer) return new Response(JSON.stringify({ error: 'UNAUTHORIZED', message: 'Sign in again.' }), { status: answer.status, headers: { 'content-type': 'application/json' } });
    const encoder = new TextEncoder();
    // Split mid-event, as the network does; handed out as read, so a break comes after them all.
    const chunks = answer.events.flatMap((text) => [text.slice(0, text.length / 2), text.slice(text.length / 2)]);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
        else if (answer.then === 'break') controller.error(new TypeError('network error'));
        else controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

/** A feed over `answers`, with a sleep that returns at once and notes each wait. */
function feedOver(answers: Answer[], token: string | null = 'tok') {
  const server = fakeServer(answers);
  const waits: number[] = [];
  const feed = createLiveFeed({
    api: createApiClient({ fetch: server.fetch, timeout: () => new AbortController().signal }),
    token: async () => token,
    isOnline: () => true,
    sleep: async (ms) => {
      waits.push(ms);
    },
    now: () => 1_000,
    random: () => 1,
  });
  return { feed, server, waits };
}

const settle = async (until: () => boolean) => {
  for (let i = 0; i < 200 && !until(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe('the supervisors’ live feed', () => {
  it('delivers events by kind, a reset to everyone, and goes live', async () => {
    const { feed, server } = feedOver([{ events: [sse(5, 'reset', { reason: 'new' }), applied(6, 1), sse(7, 'device-health', { at: 'x', deviceId: 'dev-1', userId: null, pendingCount: 2, pushFailing: false })], then: 'end' }]);
    const picks: LiveEvent[] = [];
    const devices: LiveEvent[] = [];
    const stop = [feed.subscribe(['mutation-applied'], (event) => picks.push(event)), feed.subscribe(['device-health'], (event) => devices.push(event))];
    expect(feed.state).toBe('reconnecting');
    await settle(() => devices.length === 2);
    expect(picks.map((event) => [event.kind, event.id])).toEqual([['reset', '5'], ['mutation-applied', '6']]);
    expect(picks[1]).toMatchObject({ pickListId: 'pl-1', seq: 1 });
    expect(devices.map((event) => event.kind)).toEqual(['reset', 'device-health']);
    expect(server.requests[0]!.headers).toMatchObject({ authorization: 'Bearer tok', accept: 'text/event-stream' });
    expect(server.requests[0]!.headers['last-event-id']).toBeUndefined();
    expect(feed.lastEventAt).toBe(1_000);
    for (const unsubscribe of stop) unsubscribe();
  });

  it('reconnects after a drop with the last id, backing off 1 s, 2 s, 4 s… up to 15 s, and resets the backoff once live', async () => {
    const { feed, server, waits } = feedOver([
      { events: [sse(5, 'reset', { reason: 'new' }), applied(6, 1)], then: 'break' },
      'unreachable',
      'unreachable',
      'unreachable',
      'unreachable',
      'unreachable',
      { events: [sse(9, 'ready', {}), applied(8, 2)], then: 'break' },
    ]);
    const seen: LiveEvent[] = [];
    const states: string[] = [];
    const unwatch = feed.status.subscribe((s) => states.push(s.state));
    const unsubscribe = feed.subscribe(['mutation-applied'], (event) => seen.push(event));
    await settle(() => server.requests.length === 8);
    expect(server.requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, '6', '6', '6', '6', '6', '6', '8']);
    expect(waits).toEqual([1000, 2000, 4000, 8000, RECONNECT_MAX_MS, RECONNECT_MAX_MS, 1000]);
    // Missed events arrive in the resumed stream; no reset, so nothing reloads twice.
    expect(seen.map((event) => [event.kind, event.id])).toEqual([['reset', '5'], ['mutation-applied', '6'], ['mutation-applied', '8']]);
    expect(states).toContain('live');
    expect(states.at(-1)).toBe('reconnecting');
    unsubscribe();
    unwatch();
  });

  it('waits the longest backoff after a 401, and closes the stream when the last subscriber leaves', async () => {
    const { feed, server, waits } = feedOver([{ status: 401 }]);
    const unsubscribe = feed.subscribe(['order-status'], () => undefined);
    await settle(() => server.requests.length === 2);
    expect(waits[0]).toBe(RECONNECT_MAX_MS);
    unsubscribe();
    await settle(() => false);
    // Closed: no third request, however long it waits.
    expect(server.requests).toHaveLength(2);
  });

  it('ignores an event it cannot read and one of a kind it does not know', async () => {
    const { feed } = feedOver([{ events: [sse(1, 'ready', {}), 'id: 2\nevent: mutation-applied\ndata: {broken\n\n', sse(3, 'picker-idle', { at: 'x' }), applied(4, 7)], then: 'end' }]);
    const seen: LiveEvent[] = [];
    const unsubscribe = feed.subscribe(['mutation-applied'], (event) => seen.push(event));
    await settle(() => seen.length === 1);
    expect(seen.map((event) => event.id)).toEqual(['4']);
    unsubscribe();
  });
});
