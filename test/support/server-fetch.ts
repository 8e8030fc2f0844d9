// A `fetch` that hands each request to an in-process Fastify app (`app.inject`), so client code
// that talks to the network (sync engine, photo uploader, sign-in) is tested against the real
// server without a socket.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export interface ServerFetchOptions {
  /** While `down` is true every request fails as a dead network does, before reaching the server. */
  network?: { down: boolean };
  /** Sees each request the server answered, with its answer (e.g. to record what a push took in). */
  onAnswer?: (url: URL, init: RequestInit | undefined, response: LightMyRequestResponse) => void;
}

export function serverFetch(app: FastifyInstance, options: ServerFetchOptions = {}): typeof fetch {
  return async (input, init) => {
    if (options.network?.down) throw new TypeError('Failed to fetch');
    const url = new URL(String(input), 'http://dockhand.test');
    const payload = init?.body instanceof Blob ? Buffer.from(await init.body.arrayBuffer()) : (init?.body as string | undefined);
    const response = await app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers: init?.headers as Record<string, string>,
      payload,
    });
    options.onAnswer?.(url, init, response);
    return new Response(response.statusCode === 204 ? null : response.body, {
      status: response.statusCode,
      headers: { 'content-type': String(response.headers['content-type'] ?? '') },
    });
  };
}
