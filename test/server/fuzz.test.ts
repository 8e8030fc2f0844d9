// The route fuzzer: every route the app registers (taken from the app, so a new route is fuzzed the
// day it lands) gets, from a signed-in admin, arbitrary JSON and valid requests with one field made
// poisonous. No answer may be a 5xx, and every 400 must name the field it refuses. Fixed seed.
import fc from 'fast-check';
import type { HTTPMethods } from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { storableInputProblem, type RouteEntry } from '../../server/http-security';
import { BACKENDS, checkAndCloseAfterEach, startTestServer, type TestServer } from './harness';
import { fixtureWarehouse } from './fixture';

/** The seed every run uses; change it locally to explore, keep it fixed in CI. */
const SEED = 20261206;
/** Arbitrary bodies and querystrings per route. */
const ARBITRARY_RUNS = 12;
/** Valid requests per route that each field's poison is put into. */
const BASES_PER_ROUTE = 1;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Raw JSON text spliced in where a value cannot be written by JSON.stringify. */
class Raw {
  constructor(readonly text: string) {}
}

/** What one field is replaced with: everything PostgreSQL, zod or a careless handler might choke on. */
const POISONS: { label: string; value: Json | Raw }[] = [
  { label: 'NUL', value: 'a\u0000b' },
  { label: 'lone high surrogate', value: 'x\ud800' },
  { label: 'lone low surrogate', value: '\udc00' },
  { label: 'huge number', value: new Raw('1e999') },
  { label: '2^31', value: 2 ** 31 },
  { label: '2^64', value: new Raw('18446744073709551616') },
  { label: 'negative', value: -1 },
  { label: 'fraction', value: 0.5 },
  { label: 'deep nesting', value: new Raw(`${'['.repeat(5000)}${']'.repeat(5000)}`) },
  { label: 'object', value: { nested: { deeper: ['x'] } } },
  { label: 'boolean', value: true },
  { label: 'null', value: null },
  { label: 'empty string', value: '' },
  { label: 'very long string', value: 'x'.repeat(200_000) },
];

/** The same poisons as querystring text. */
const QUERY_POISONS = ['a\u0000b', '\ud800', '1e999', '2147483648', '-1', '0.5', '', 'x'.repeat(20_000), 'true'];

/** Serialises `value` with every Raw spliced in as written. */
function serialise(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Raw) return `\u0001RAW${raws.push(item.text) - 1}\u0001`;
    return item;
  });
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_match, index: string) => raws[Number(index)]!);
}

/** A fast-check arbitrary of values a JSON Schema (from zod) describes, kept small. */
function fromJsonSchema(schema: Record<string, unknown> | boolean | undefined): fc.Arbitrary<Json> {
  if (schema === undefined || typeof schema === 'boolean') return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  const s = schema as Record<string, unknown> & { type?: string | string[] };
  const variants = (s.anyOf ?? s.oneOf) as Record<string, unknown>[] | undefined;
  if (variants) return fc.oneof(...variants.map(fromJsonSchema));
  if ('const' in s) return fc.constant(s.const as Json);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as Json[]));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      if (s.format === 'uuid') return fc.uuid();
      if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= ((s.maxLength as number) ?? Infinity));
      const minLength = (s.minLength as number) ?? 0;
      return fc.string({ minLength, maxLength: Math.min((s.maxLength as number) ?? 24, minLength + 24) });
    }
    case 'integer':
      return fc.integer({ min: Math.max((s.minimum as number) ?? -1000, -(2 ** 31)), max: Math.min((s.maximum as number) ?? 100_000, 2 ** 31 - 1) });
    case 'number':
      return fc.double({ min: (s.minimum as number) ?? -1000, max: (s.maximum as number) ?? 100_000, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = (s.minItems as number) ?? 0;
      return fc.array(fromJsonSchema(s.items as Record<string, unknown>), { minLength, maxLength: Math.max(minLength, Math.min((s.maxItems as number) ?? 2, 2)) });
    }
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = (s.required ?? []) as string[];
      if (Object.keys(properties).length === 0 && s.additionalProperties) {
        return fc.dictionary(fc.string({ maxLength: 8 }), fromJsonSchema(s.additionalProperties as Record<string, unknown>), { maxKeys: 3 }) as fc.Arbitrary<Json>;
      }
      const shape = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, fromJsonSchema(value)]));
      return fc.record(shape, { requiredKeys: required }) as fc.Arbitrary<Json>;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  }
}

function jsonSchemaOf(schema: unknown): Record<string, unknown> | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Up to `count` values zod accepts, from the schema's own arbitrary; none when it cannot make any. */
function validExamples(schema: unknown, seed: number, count: number): Json[] {
  if (!(schema instanceof z.ZodType)) return [];
  const candidates = fc.sample(fromJsonSchema(jsonSchemaOf(schema)), { seed, numRuns: 60 });
  return candidates.filter((candidate) => schema.safeParse(candidate).success).slice(0, count);
}

/** Every path to a value inside `value` (objects and arrays), leaves and branches alike. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return prefix.length > 0 ? [prefix] : [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return [...(prefix.length > 0 ? [prefix] : []), ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))];
}

function replaced(value: Json, path: (string | number)[], poison: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return poison;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? replaced(item, rest, poison) : item));
  const object = value as Record<string, Json>;
  return { ...object, [head]: replaced(object[head]!, rest, poison) };
}

/** The name a 400 about `path` must carry: its last key that is a field name, not an index. */
function fieldName(part: string, path: (string | number)[]): string {
  const named = path.filter((key): key is string => typeof key === 'string');
  return named.at(-1) ?? part;
}

interface Attempt {
  label: string;
  method: HTTPMethods;
  url: string;
  payload?: string | ((nextSeq: number) => string);
  /**
   * What a 400 must name, or null where the request is one the route's schemas accept: a 400
   * there is the handler's judgment on valid input (an unknown owner, a body that is no image).
   */
  mustName: string[] | null;
}

/** Whether `schema` (zod) refuses `value`; false where the route declares no schema for it. */
function refuses(schema: unknown, value: unknown): boolean {
  return schema instanceof z.ZodType && !schema.safeParse(value).success;
}

function parsedPayload(payload: string): unknown {
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return Symbol('unparseable');
  }
}

/** Whether any string in `value` is text PostgreSQL cannot store (the app-wide check refuses it). */
const hasUnstorableText = (value: unknown): boolean => storableInputProblem('value', value) !== null;

/** A querystring as sent and as the server reads it back (URLSearchParams turns lone surrogates into U+FFFD). */
function wireQuery(query: Record<string, string>): { text: string; read: Record<string, string> } {
  const text = new URLSearchParams(query).toString();
  return { text, read: Object.fromEntries(new URLSearchParams(text)) };
}

/**
 * `value` with the device's next sequence numbers where it carries a push's `mutations[].seq`, so
 * a poisoned mutation reaches its rule instead of stopping at the sequence check.
 */
function inSequence(value: Json, nextSeq: number): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Array.isArray(value.mutations)) return value;
  const mutations = value.mutations.map((m, i) => (m !== null && typeof m === 'object' && !Array.isArray(m) && typeof m.seq === 'number' ? { ...m, seq: nextSeq + i } : m));
  return { ...value, mutations };
}

function attemptsFor(route: RouteEntry, index: number): Attempt[] {
  const url = route.url.replace(/:[A-Za-z]+/g, 'x').replace(/\*/g, 'x');
  const hasBody = !['GET', 'HEAD'].includes(route.method);
  const schema = route.schema ?? {};
  const attempts: Attempt[] = [];
  const seed = SEED + index;
  const anyPart = ['body', 'querystring', 'params'];

  // Arbitrary JSON as the body, and arbitrary text as the querystring.
  if (hasBody) {
    for (const value of fc.sample(fc.jsonValue({ maxDepth: 4 }), { seed, numRuns: ARBITRARY_RUNS })) {
      attempts.push({ label: 'arbitrary body', method: route.method, url, payload: serialise(value), mustName: refuses(schema.body, value) ? anyPart : null });
    }
  }
  const queries = fc.sample(fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...QUERY_POISONS)), { maxKeys: 4 }), { seed, numRuns: ARBITRARY_RUNS });
  for (const query of queries) {
    const { text, read } = wireQuery(query);
    const named = refuses(schema.querystring, read) || hasUnstorableText(read);
    attempts.push({ label: 'arbitrary querystring', method: route.method, url: `${url}?${text}`, ...(hasBody ? { payload: '{}' } : {}), mustName: named ? anyPart : null });
  }

  // Valid bodies with one field poisoned, and one extra field.
  if (hasBody && schema.body) {
    for (const base of validExamples(schema.body, seed, BASES_PER_ROUTE)) {
      // In the device's sequence like the poisoned ones below, so a push's 400 can only be the extra field's.
      const extra = (nextSeq: number) => serialise({ ...(inSequence(base, nextSeq) as object), extraField: 'x\u0000' });
      attempts.push({ label: 'extra field', method: route.method, url, payload: extra, mustName: ['extraField'] });
      for (const path of paths(base)) {
        for (const poison of POISONS) {
          const value = parsedPayload(serialise(replaced(base, path, poison.value)));
          const named = typeof value === 'symbol' || refuses(schema.body, value) || hasUnstorableText(value);
          const payload = (nextSeq: number) => serialise(replaced(inSequence(base, nextSeq), path, poison.value));
          attempts.push({ label: `body/${path.join('/')} = ${poison.label}`, method: route.method, url, payload, mustName: named ? [fieldName('body', path)] : null });
        }
      }
    }
  }
  // Valid querystrings with one parameter poisoned.
  if (schema.querystring) {
    const bases = validExamples(schema.querystring, seed, BASES_PER_ROUTE);
    for (const base of bases.length > 0 ? bases : [{}]) {
      const text = Object.fromEntries(Object.entries(base as Record<string, Json>).map(([key, value]) => [key, String(value)]));
      const keys = Object.keys((jsonSchemaOf(schema.querystring)?.properties as object | undefined) ?? {});
      for (const key of keys) {
        for (const poison of QUERY_POISONS) {
          const query = wireQuery({ ...text, [key]: poison });
          const named = refuses(schema.querystring, query.read) || hasUnstorableText(query.read);
          attempts.push({ label: `querystring/${key} = ${JSON.stringify(poison.slice(0, 12))}`, method: route.method, url: `${url}?${query.text}`, ...(hasBody ? { payload: '{}' } : {}), mustName: named ? [key] : null });
        }
      }
    }
  }
  return attempts;
}

/**
 * One request's answer. An answer that opens an event stream (the supervisors' live feed) never
 * ends: its status and headers are the answer, and the stream is closed at once.
 */
async function send(server: TestServer, request: { method: HTTPMethods; url: string; headers: Record<string, string>; payload?: string }) {
  const response = (await server.app.inject({ ...request, payloadAsStream: true })) as unknown as {
    statusCode: number;
    headers: Record<string, unknown>;
    stream(): NodeJS.ReadableStream & { destroy(): void };
  };
  const stream = response.stream();
  if (String(response.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    stream.destroy();
    return { statusCode: response.statusCode, headers: response.headers, body: '', json: () => ({}) };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  const body = Buffer.concat(chunks).toString('utf8');
  return { statusCode: response.statusCode, headers: response.headers, body, json: () => JSON.parse(body) as unknown };
}

describe.each(BACKENDS)('route fuzzer on %s', (backend) => {
  let server: TestServer;
  checkAndCloseAfterEach(() => server);

  /** Sign-in's per-address limit is not under test here: every request comes from one address. */
  const fuzzServer = () => startTestServer(backend, fixtureWarehouse(), { signInLimits: { addressFailures: 1_000_000 } });


  it('never answers 5xx, and every 400 names the field it refuses', async () => {
    server = await fuzzServer();
    let session = await server.signIn('admin', '9999');
    // Signing out ends the fuzzer's session, so that route goes last.
    const routes = server.app.routeTable()
      .filter((route) => route.url.startsWith('/api/') && route.method !== 'HEAD')
      .sort((a, b) => Number(a.method === 'DELETE' && a.url === '/api/session') - Number(b.method === 'DELETE' && b.url === '/api/session'));
    expect(routes.length).toBeGreaterThan(8);

    const failures: string[] = [];
    let sent = 0;
    // The fuzzer's device's next sequence number, followed from push answers.
    let nextSeq = 1;
    for (const [index, route] of routes.entries()) {
      for (const attempt of attemptsFor(route, index)) {
        sent += 1;
        const payload = typeof attempt.payload === 'function' ? attempt.payload(nextSeq) : attempt.payload;
        const response = await send(server, {
          method: attempt.method,
          url: attempt.url,
          headers: { authorization: session.authorization, ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(payload !== undefined ? { payload } : {}),
        });
        const answer = String(response.headers['content-type'] ?? '').includes('json') ? (response.json() as { results?: { seq: number }[]; expectedSeq?: number }) : {};
        if (answer.results?.length) nextSeq = Math.max(nextSeq, ...answer.results.map((result) => result.seq + 1));
        if (typeof answer.expectedSeq === 'number') nextSeq = answer.expectedSeq;
        const where = `${route.method} ${route.url} [${attempt.label}] → ${response.statusCode} ${response.body.slice(0, 300)}`;
        if (response.statusCode >= 500) failures.push(where);
        if (response.statusCode === 400 && attempt.mustName) {
          const message = String((answer as { message?: unknown }).message ?? '');
          if (!attempt.mustName.some((name) => message.toLowerCase().includes(name.toLowerCase()))) failures.push(`400 without the field (${attempt.mustName.join(' or ')}): ${where}`);
        }
        if (route.method === 'DELETE' && route.url === '/api/session' && response.statusCode === 204) session = await server.signIn('admin', '9999');
      }
    }
    expect(sent).toBeGreaterThan(500);
    expect(failures, failures.slice(0, 20).join('\n')).toEqual([]);
  }, 120_000);
});
