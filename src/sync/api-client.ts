// The device's one way out to the network. Every call to the server goes through `request`, which
// sends the bearer token, gives up after a timeout, and takes nothing for an answer but a 2xx whose
// JSON its endpoint's schema accepts (or, for a document, whose bytes are of the type it asked
// for): a 401, a 5xx, a network error or a captive portal's 200 page is an `ApiError` of its own
// kind, never a success. The endpoints are in ./endpoints.ts.
import { z } from 'zod';

/** Longest wait for one request unless its endpoint says otherwise; a dead aisle access point never answers. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * One route of the API. `path` may hold parameters (`/api/orders/:id/packing-slip.pdf`), which a
 * call fills in as `params`, each encoded as one path segment. `request` and `query` type what a
 * caller sends (the server checks them: a mutation's own fault is its stored rejection, never a
 * refusal on the device); `response` is what the answer must be, and null for an answer that is
 * not read (204). `request: 'blob'` sends bytes; `response: 'blob'` answers them, of type `accept`.
 */
export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly request?: z.ZodType | 'blob';
  readonly query?: z.ZodType<Record<string, string | number>>;
  readonly response: z.ZodType | 'blob' | null;
  /** For `response: 'blob'`: the content type the answer must have (sent as Accept); a portal's page is not a PDF. */
  readonly accept?: string;
  /** This endpoint's longest wait, when not `REQUEST_TIMEOUT_MS`. */
  readonly timeoutMs?: number;
}

/** Declares an endpoint, keeping its exact schemas for the types of `request`. */
export const endpoint = <const E extends Endpoint>(declared: E): E => declared;

type BodyOf<E extends Endpoint> = E['request'] extends z.ZodType
  ? { body: z.input<E['request']> }
  : E['request'] extends 'blob'
    ? { body: Blob }
    : { body?: undefined };

type QueryOf<E extends Endpoint> = E['query'] extends z.ZodType ? { query: z.input<E['query']> } : { query?: undefined };

/** The names of a path's `:parameters`: `'id' | 'carton'` of `/api/orders/:id/cartons/:carton/label.pdf`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type ParamsOf<E extends Endpoint> = [PathParams<E['path']>] extends [never]
  ? { params?: undefined }
  : { params: Record<PathParams<E['path']>, string> };

export type RequestOptions<E extends Endpoint> = BodyOf<E> &
  QueryOf<E> &
  ParamsOf<E> & {
    /** The session's bearer token; none for signing in. */
    token?: string;
    /** Aborts the request (an `aborted` error). */
    signal?: AbortSignal;
    /** Overrides the endpoint's timeout. */
    timeoutMs?: number;
    /** More headers: a photo's content type, the unsent work a sync reports. */
    headers?: Record<string, string>;
  };

export type AnswerOf<E extends Endpoint> = E['response'] extends z.ZodType ? z.output<E['response']> : E['response'] extends 'blob' ? Blob : undefined;

/**
 * Why a request did not succeed. `unreachable`: no answer (no network, DNS, a connection cut
 * mid-body), so the outcome is unknown. `unauthorized` (401): the session ended, or, signing in,
 * the PIN was wrong. `protocol`: a 2xx that is not the endpoint's JSON (a captive portal's login
 * page). `refused`: any other 4xx, whose body says why.
 */
export type ApiErrorKind = 'unreachable' | 'timeout' | 'aborted' | 'unauthorized' | 'forbidden' | 'conflict' | 'refused' | 'server' | 'protocol';

/** A refusal's body as the device reads it: the message is the one part it needs; extras kept. */
const Refusal = z.looseObject({ error: z.string().optional(), message: z.string() });
export type Refusal = z.infer<typeof Refusal>;

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    /** The HTTP status of the answer; absent when none came. */
    readonly status?: number,
    /** The server's refusal, when its body was one. */
    readonly body?: Refusal,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  /** Prefix for the API paths; '' on the app's own origin. */
  baseUrl?: string;
  /** A signal that aborts after `ms`: the request's timeout. Injectable for tests. */
  timeout?: (ms: number) => AbortSignal;
}

export interface ApiClient {
  /** Sends one request; answers the endpoint's checked response, or throws an `ApiError`. */
  request<E extends Endpoint>(endpoint: E, options: RequestOptions<E>): Promise<AnswerOf<E>>;
  /**
   * Opens a long-lived answer of type `endpoint.accept` (Server-Sent Events): resolves once its
   * headers came within the timeout, refused as `request` refuses (401, 5xx, a portal's page); its
   * text then arrives chunk by chunk until the server ends it, the caller aborts, or nothing came
   * for `idleTimeoutMs` — each an `ApiError` thrown by the iteration, but the server's end.
   */
  stream<E extends Endpoint>(endpoint: E, options: RequestOptions<E> & { idleTimeoutMs: number }): Promise<AsyncIterable<string>>;
}

/** `application/json`, or a `+json` type: the only answers read as JSON. */
function isJson(contentType: string | null): boolean {
  return /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType?.trim() ?? '');
}

/** `path` with each `:name` replaced by its parameter as one encoded segment ("a/b" cannot reach another route). */
function fillPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:([A-Za-z]\w*)/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new TypeError(`${path} needs the parameter ${name}`);
    return encodeURIComponent(value);
  });
}

/** Whether a document's answer is of the type asked for: its media type, parameters aside. */
function isOfType(contentType: string | null, accept: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  // Without a type to check, anything but a web page (a captive portal's) will do.
  return accept === undefined ? type !== 'text/html' : type === accept.toLowerCase();
}

function kindOf(status: number): ApiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'server';
  if (status >= 400) return 'refused';
  // Redirects are followed by fetch; anything else that is not 2xx is not an answer of ours.
  return 'protocol';
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const baseUrl = options.baseUrl ?? '';
  const timeout = options.timeout ?? ((ms: number) => AbortSignal.timeout(ms));

  return {
    async request<E extends Endpoint>(endpoint: E, call: RequestOptions<E>): Promise<AnswerOf<E>> {
      const { method, path } = endpoint;
      const url = fillPath(path, call.params as Record<string, string> | undefined);
      const query = call.query === undefined ? '' : `?${new URLSearchParams(Object.entries(call.query as Record<string, string | number>).map(([key, value]) => [key, String(value)]))}`;
      const body: unknown = call.body;
      const blob = body instanceof Blob;
      const headers: Record<string, string> = {
        ...(call.token === undefined ? {} : { authorization: `Bearer ${call.token}` }),
        ...(body === undefined ? {} : { 'content-type': blob ? body.type : 'application/json' }),
        ...(endpoint.accept === undefined ? {} : { accept: endpoint.accept }),
        ...call.headers,
      };

      // One signal for the fetch: aborted by the timeout or by the caller, whichever comes first.
      const timer = timeout(call.timeoutMs ?? endpoint.timeoutMs ?? REQUEST_TIMEOUT_MS);
      const controller = new AbortController();
      const abort = () => controller.abort();
      timer.addEventListener('abort', abort);
      call.signal?.addEventListener('abort', abort);
      if (timer.aborted || call.signal?.aborted) abort();

      let response: Response;
      let text = '';
      let bytes: Blob | undefined;
      try {
        response = await doFetch(`${baseUrl}${url}${query}`, {
          method,
          headers,
          body: body === undefined ? undefined : blob ? body : JSON.stringify(body),
          signal: controller.signal,
        });
        // A document's bytes are read as bytes; any other answer, and every refusal, as text.
        if (endpoint.response === 'blob' && response.ok) bytes = await response.blob();
        else text = await response.text();
      } catch {
        // No whole answer came, so the outcome is unknown: the server may have acted on it.
        if (call.signal?.aborted) throw new ApiError('aborted', `${method} ${path} was cancelled.`);
        if (timer.aborted) throw new ApiError('timeout', `${method} ${path} got no answer in time.`);
        throw new ApiError('unreachable', `${method} ${path}: the server could not be reached.`);
      } finally {
        timer.removeEventListener('abort', abort);
        call.signal?.removeEventListener('abort', abort);
      }

      const json = isJson(response.headers.get('content-type')) ? parseJson(text) : undefined;
      const { status } = response;
      if (status < 200 || status >= 300) {
        const refusal = Refusal.safeParse(json);
        const body = refusal.success ? refusal.data : undefined;
        throw new ApiError(kindOf(status), body?.message ?? `${method} ${path} answered HTTP ${status}.`, status, body);
      }
      if (endpoint.response === null) return undefined as AnswerOf<E>;
      if (endpoint.response === 'blob') {
        if (bytes && isOfType(response.headers.get('content-type'), endpoint.accept)) return bytes as AnswerOf<E>;
        throw new ApiError('protocol', `${method} ${path} answered HTTP ${status} with something else than ${endpoint.accept ?? 'its document'}.`, status);
      }
      const parsed = endpoint.response.safeParse(json);
      if (!parsed.success) {
        // A proxy's or captive portal's page, or a server speaking another version of the API.
        throw new ApiError('protocol', `${method} ${path} answered HTTP ${status} with something else than its JSON.`, status);
      }
      return parsed.data as AnswerOf<E>;
    },

    async stream<E extends Endpoint>(endpoint: E, call: RequestOptions<E> & { idleTimeoutMs: number }): Promise<AsyncIterable<string>> {
      const { method, path } = endpoint;
      const url = fillPath(path, call.params as Record<string, string> | undefined);
      const query = call.query === undefined ? '' : `?${new URLSearchParams(Object.entries(call.query as Record<string, string | number>).map(([key, value]) => [key, String(value)]))}`;
      const headers: Record<string, string> = {
        ...(call.token === undefined ? {} : { authorization: `Bearer ${call.token}` }),
        ...(endpoint.accept === undefined ? {} : { accept: endpoint.accept }),
        ...call.headers,
      };
      // The timeout is for the headers; the caller's signal ends the stream whenever it fires.
      const timer = timeout(call.timeoutMs ?? endpoint.timeoutMs ?? REQUEST_TIMEOUT_MS);
      const controller = new AbortController();
      const abort = () => controller.abort();
      timer.addEventListener('abort', abort);
      call.signal?.addEventListener('abort', abort);
      if (timer.aborted || call.signal?.aborted) abort();
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}${url}${query}`, { method, headers, signal: controller.signal });
      } catch {
        if (call.signal?.aborted) throw new ApiError('aborted', `${method} ${path} was cancelled.`);
        if (timer.aborted) throw new ApiError('timeout', `${method} ${path} got no answer in time.`);
        throw new ApiError('unreachable', `${method} ${path}: the server could not be reached.`);
      } finally {
        timer.removeEventListener('abort', abort);
      }
      const { status } = response;
      if (status < 200 || status >= 300) {
        const text = await response.text().catch(() => '');
        const refusal = Refusal.safeParse(isJson(response.headers.get('content-type')) ? parseJson(text) : undefined);
        const body = refusal.success ? refusal.data : undefined;
        throw new ApiError(kindOf(status), body?.message ?? `${method} ${path} answered HTTP ${status}.`, status, body);
      }
      if (!response.body || !isOfType(response.headers.get('content-type'), endpoint.accept)) {
        controller.abort();
        throw new ApiError('protocol', `${method} ${path} answered HTTP ${status} with something else than ${endpoint.accept ?? 'its stream'}.`, status);
      }
      return streamText(response.body, `${method} ${path}`, () => timeout(call.idleTimeoutMs), call.signal);
    },
  };
}

/** The text of `body` as it arrives; an `ApiError` when it breaks, is aborted or goes quiet for `idleMs`. */
async function* streamText(body: ReadableStream<Uint8Array>, what: string, idle: () => AbortSignal, signal: AbortSignal | undefined): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const quiet = idle();
      const stop = new Promise<'idle' | 'aborted'>((resolve) => {
        quiet.addEventListener('abort', () => resolve('idle'), { once: true });
        signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
        if (signal?.aborted) resolve('aborted');
      });
      let chunk: ReadableStreamReadResult<Uint8Array> | 'idle' | 'aborted';
      try {
        chunk = await Promise.race([reader.read(), stop]);
      } catch {
        throw new ApiError('unreachable', `${what}: the connection broke.`);
      }
      if (chunk === 'aborted') throw new ApiError('aborted', `${what} was cancelled.`);
      if (chunk === 'idle') throw new ApiError('timeout', `${what} went quiet.`);
      if (chunk.done) return;
      yield decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    // Ends the connection, whichever way the reading stopped.
    reader.cancel().catch(() => undefined);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
