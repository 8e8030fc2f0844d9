// What may cross a boundary as text. PostgreSQL's `text` and `jsonb` refuse NUL (U+0000), and
// UTF-8 cannot encode a lone UTF-16 surrogate: such a string is the sender's fault, refused where
// it enters with a clear message, never handed to the database to fail there as a "transient" 503.
import { z } from 'zod';

/** Deepest nesting of objects and arrays accepted in a mutation's args (the real ones are flat). */
export const MAX_JSON_DEPTH = 8;
/** Most values (keys, strings, numbers, nested objects) accepted in one mutation's args. */
export const MAX_JSON_NODES = 500;
/** Longest string accepted anywhere inside a mutation's args. */
export const MAX_JSON_STRING = 2000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL could not store `value` as text, or null when it can. */
export function textProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'contains a NUL character';
  if (LONE_SURROGATE.test(value)) return 'contains broken Unicode (a lone surrogate)';
  return null;
}

export const isStorableText = (value: string): boolean => textProblem(value) === null;

const STORABLE_MESSAGE = 'must not contain NUL characters or broken Unicode';

/**
 * A string PostgreSQL can store, in Unicode normal form C so equal-looking text compares equal.
 * Chain `.min`/`.max`/`.trim` after it as with `z.string()`.
 */
export const text = () => z.string().refine(isStorableText, STORABLE_MESSAGE).normalize('NFC');

/** An id as the database keys it: storable text, 1 to 100 characters. */
export const Id = text().min(1).max(100);

/** A UUID in its canonical lower-case form: `A…` and `a…` are one id everywhere after the boundary. */
export const Uuid = z.uuid().toLowerCase();

/** A username in its canonical form: trimmed, NFC and lower case, so "Ana" and "ana" are one account. */
export const Username = text().trim().toLowerCase().min(1).max(60);

/**
 * Why `value` (parsed JSON) could not be stored as `jsonb`, with the path to the offending part,
 * or null when it can: every key and string storable text. Bounded (the default, for a
 * mutation's args), strings are at most `MAX_JSON_STRING` long, nesting at most `MAX_JSON_DEPTH`
 * deep and `MAX_JSON_NODES` values in all. Paths start at `root` (`body/username`). Iterative, so
 * a value nested thousands deep is measured without a deep stack.
 */
export function jsonProblem(value: unknown, options: { root?: string; bounded?: boolean } = {}): string | null {
  const { root = '', bounded = true } = options;
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: item, path, depth } = stack.pop()!;
    if (bounded && ++nodes > MAX_JSON_NODES) return `has more than ${MAX_JSON_NODES} values`;
    if (typeof item === 'string') {
      const problem = textProblem(item);
      if (problem) return `${path || '(value)'} ${problem}`;
      if (bounded && item.length > MAX_JSON_STRING) return `${path || '(value)'} is longer than ${MAX_JSON_STRING} characters`;
      continue;
    }
    if (typeof item === 'number') {
      if (bounded && !Number.isFinite(item)) return `${path || '(value)'} is not a finite number`;
      continue;
    }
    if (item === null || item === undefined || typeof item === 'boolean') continue;
    if (typeof item !== 'object') return `${path || '(value)'} is not JSON`;
    if (bounded && depth >= MAX_JSON_DEPTH) return `${path || '(value)'} is nested more than ${MAX_JSON_DEPTH} levels deep`;
    const entries = Array.isArray(item) ? item.map((v, i) => [String(i), v] as const) : Object.entries(item);
    for (const [key, child] of entries) {
      const keyProblem = textProblem(key);
      if (keyProblem) return `${path || '(value)'} has a key that ${keyProblem}`;
      stack.push({ value: child, path: `${path}/${key}`, depth: depth + 1 });
    }
  }
  return null;
}
