// The API client against a fake fetch: what it sends, and that every failure is one ApiError kind.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, createApiClient, endpoint, REQUEST_TIMEOUT_MS } from './api-client';

const Thing = z.object({ id: z.string(), qty: z.number().int() });
const getThing = endpoint({ method: 'GET', path: '/api/thing', query: z.object({ id: z.string(), limit: z.number() }), response: Thing });
const putThing = endpoint({ method: 'POST', path: '/api/thing', request: Thing, response: Thing, timeoutMs: 5_000 });
const dropThing = endpoint({ method: 'DELETE', path: '/api/thing', response: null });
const upload = endpoint({ method: 'POST', path: '/api/bytes', request: 'blob', response: Thing });

const JSON_TYPE = 'application/json; charset=utf-8';
const answer = (status: number, body: string | null, type = JSON_TYPE): typeof fetch =>
  async () => new Response(body, { status, headers: { 'content-type': type } });

/** What `promise` threw, which must be an ApiError. */
async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const caught = await promise.then(() => null, (error: unknown) => error);
  expect(caught).toBeInstanceOf(ApiError);
  return caught as ApiError;
}

describe('request', () => {
  it('sends the token, the query and the JSON body, and answers the checked response', async () => {
    const sent: { url: string; init: RequestInit | undefined }[] = [];
    const api = createApiClient({
      baseUrl: 'https://wh.example',
      fetch: async (input, init) => {
        sent.push({ url: String(input), init });
        return new Response(JSON.stringify({ id: 'a', qty: 2, extra: true }), { status: 200, headers: { 'content-type': JSON_TYPE } });
      },
    });
    expect(await api.request(getThing, { token: 'tok', query: { id: 'a b', limit: 10 }, headers: { 'x-report': '1' } })).toEqual({ id: 'a', qty: 2 });
    expect(await api.request(putThing, { body: { id: 'a', qty: 2 } })).toEqual({ id: 'a', qty: 2 });
    expect(sent[0]).toMatchObject({ url: 'https://wh.example/api/thing?id=a+b&limit=10', init: { method: 'GET', headers: { authorization: 'Bearer tok', 'x-report': '1' }, body: undefined } });
    expect(sent[1]).toMatchObject({ init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"a","qty":2}' } });
    expect(sent[1]!.init!.headers).not.toHaveProperty('authorization');
  });

  it('sends bytes as they are, labelled as the caller says', async () => {
    let init: RequestInit | undefined;
    const blob = new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' });
    const api = createApiClient({
      fetch: async (_input, given) => {
        init = given;
        return new Response('{"id":"p","qty":1}', { status: 201, headers: { 'content-type': JSON_TYPE } });
      },
    });
    expect(await api.request(upload, { body: blob, headers: { 'content-type': 'image/webp' } })).toEqual({ id: 'p', qty: 1 });
    expect(init?.body).toBe(blob);
    expect(init?.headers).toEqual({ 'content-type': 'image/webp' });
  });

  it('reads no body where the endpoint expects none (204)', async () => {
    expect(await createApiClient({ fetch: answer(204, null, '') }).request(dropThing, { token: 't' })).toBeUndefined();
  });

  it('a network error is unreachable, with no status', async () => {
    const api = createApiClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(await failure(api.request(getThing, { query: { id: 'a', limit: 1 } }))).toMatchObject({ kind: 'unreachable', status: undefined });
  });

  it('a connection cut while the body arrives is unreachable too', async () => {
    const body = new ReadableStream({ pull: (controller) => controller.error(new TypeError('terminated')) });
    const api = createApiClient({ fetch: async () => new Response(body, { status: 200, headers: { 'content-type': JSON_TYPE } }) });
    expect(await failure(api.request(dropThing, {}))).toMatchObject({ kind: 'unreachable' });
  });

  it('gives up after the timeout (the endpoint’s, the default, or the call’s)', async () => {
    const timers: { ms: number; controller: AbortController }[] = [];
    const api = createApiClient({
      timeout: (ms) => {
        const controller = new AbortController();
        timers.push({ ms, controller });
        return controller.signal;
      },
      // A server that never answers: only the abort ends the wait, as with a browser's fetch.
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    });
    const pending = failure(api.request(putThing, { body: { id: 'a', qty: 1 } }));
    void api.request(getThing, { query: { id: 'a', limit: 1 } }).catch(() => undefined);
    void api.request(dropThing, { timeoutMs: 1_234 }).catch(() => undefined);
    expect(timers.map((timer) => timer.ms)).toEqual([5_000, REQUEST_TIMEOUT_MS, 1_234]);
    timers[0]!.controller.abort();
    expect(await pending).toMatchObject({ kind: 'timeout', status: undefined });
    for (const timer of timers) timer.controller.abort();
  });

  it('a caller’s abort is its own kind', async () => {
    const caller = new AbortController();
    const api = createApiClient({
      fetch: (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    });
    const pending = failure(api.request(dropThing, { signal: caller.signal }));
    caller.abort();
    expect(await pending).toMatchObject({ kind: 'aborted' });
  });

  it('401 is unauthorized, with the server’s words', async () => {
    const api = createApiClient({ fetch: answer(401, JSON.stringify({ error: 'UNAUTHORIZED', message: 'Session ended.' })) });
    expect(await failure(api.request(dropThing, { token: 'old' }))).toMatchObject({
      kind: 'unauthorized',
      status: 401,
      message: 'Session ended.',
      body: { error: 'UNAUTHORIZED', message: 'Session ended.' },
    });
  });

  it('a captive portal’s 200 page is a protocol error, never a success', async () => {
    const portal = createApiClient({ fetch: answer(200, '<html><body>Log in to Guest Wi-Fi</body></html>', 'text/html') });
    expect(await failure(portal.request(getThing, { query: { id: 'a', limit: 1 } }))).toMatchObject({ kind: 'protocol', status: 200 });
    // Not even a page whose text happens to be our JSON: only a JSON answer is read as JSON.
    const lookalike = createApiClient({ fetch: answer(200, '{"id":"a","qty":1}', 'text/html') });
    expect(await failure(lookalike.request(getThing, { query: { id: 'a', limit: 1 } }))).toMatchObject({ kind: 'protocol' });
  });

  it('JSON that is not the endpoint’s shape is a protocol error', async () => {
    const api = createApiClient({ fetch: answer(200, JSON.stringify({ id: 'a', qty: 'two' })) });
    expect(await failure(api.request(getThing, { query: { id: 'a', limit: 1 } }))).toMatchObject({ kind: 'protocol', status: 200 });
    const broken = createApiClient({ fetch: answer(200, '{"id":') });
    expect(await failure(broken.request(getThing, { query: { id: 'a', limit: 1 } }))).toMatchObject({ kind: 'protocol' });
  });

  it('5xx is a server error, whatever its body', async () => {
    const proxy = createApiClient({ fetch: answer(502, '<html>Bad Gateway</html>', 'text/html') });
    expect(await failure(proxy.request(dropThing, {}))).toMatchObject({ kind: 'server', status: 502, body: undefined, message: expect.stringContaining('502') as unknown as string });
    const down = createApiClient({ fetch: answer(503, JSON.stringify({ error: 'UNAVAILABLE', message: 'Try again shortly.' })) });
    expect(await failure(down.request(dropThing, {}))).toMatchObject({ kind: 'server', status: 503, body: { error: 'UNAVAILABLE' } });
  });

  it('403 is forbidden, 409 a conflict with its extras, any other 4xx refused', async () => {
    const forbidden = createApiClient({ fetch: answer(403, JSON.stringify({ error: 'DEVICE_TAKEN', message: 'Taken.' })) });
    expect(await failure(forbidden.request(dropThing, {}))).toMatchObject({ kind: 'forbidden', status: 403, body: { error: 'DEVICE_TAKEN' } });
    const conflict = createApiClient({ fetch: answer(409, JSON.stringify({ error: 'SEQUENCE_GAP', message: 'Gap.', expectedSeq: 4 })) });
    expect(await failure(conflict.request(dropThing, {}))).toMatchObject({ kind: 'conflict', status: 409, body: { error: 'SEQUENCE_GAP', expectedSeq: 4 } });
    const refused = createApiClient({ fetch: answer(429, JSON.stringify({ error: 'RATE_LIMITED', message: 'Wait.', retryAfterSeconds: 30 })) });
    expect(await failure(refused.request(dropThing, {}))).toMatchObject({ kind: 'refused', status: 429, message: 'Wait.', body: { retryAfterSeconds: 30 } });
  });
});

describe('path parameters and documents', () => {
  const label = endpoint({ method: 'GET', path: '/api/orders/:id/cartons/:carton/label.pdf', response: 'blob', accept: 'application/pdf' });
  const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46]);

  it('fills each parameter in as one encoded segment, and answers the document’s bytes', async () => {
    const sent: { url: string; init: RequestInit | undefined }[] = [];
    const api = createApiClient({
      fetch: async (input, init) => {
        sent.push({ url: String(input), init });
        return new Response(PDF, { status: 200, headers: { 'content-type': 'application/pdf' } });
      },
    });
    const bytes = await api.request(label, { token: 't', params: { id: '#1001/../x', carton: 'A 1' } });
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(PDF);
    expect(sent[0]!.url).toBe('/api/orders/%231001%2F..%2Fx/cartons/A%201/label.pdf');
    expect(sent[0]!.init!.headers).toMatchObject({ accept: 'application/pdf', authorization: 'Bearer t' });
  });

  it('a portal’s page where a document was asked for is a protocol error; a refusal still reads its JSON', async () => {
    const portal = createApiClient({ fetch: answer(200, '<html>Log in</html>', 'text/html') });
    expect(await failure(portal.request(label, { params: { id: '1', carton: 'A' } }))).toMatchObject({ kind: 'protocol', status: 200 });
    const missing = createApiClient({ fetch: answer(404, JSON.stringify({ error: 'NOT_FOUND', message: 'Order not found.' })) });
    expect(await failure(missing.request(label, { params: { id: '1', carton: 'A' } }))).toMatchObject({ kind: 'refused', status: 404, message: 'Order not found.' });
  });
});
