// Benchmark section "Client: first-paint JavaScript": the scripts a cold start must fetch and run
// before the first paint — the built index.html's entry module, what it modulepreloads, and the
// static imports of the entry chunk followed through — each gzipped as a server would send it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildClient } from './client-harness';
import type { Row, SectionResult } from './table';

/** Most gzip bytes of JavaScript a handheld on weak Wi-Fi may fetch before the first paint. */
const TARGET_GZIP_BYTES = 150 * 1024;

/**
 * Static `import … from "x"`, `import "x"` and `export … from "x"` statements, as a bundler emits
 * them (at a statement start); `import("x")` and `import.meta` never match.
 */
const STATIC_IMPORT = /(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*(?:as\s*[\w$]+)?)?\s*(?:from\s*)?(["'`])([^"'`\n]+)\1/g;

/** Attribute values of the tags in `html` matching `tag`, e.g. every modulepreload href. */
function attributes(html: string, tag: RegExp, attribute: string): string[] {
  const values: string[] = [];
  for (const [element] of html.matchAll(tag)) {
    const value = new RegExp(`\\s${attribute}\\s*=\\s*["']([^"']+)["']`).exec(element)?.[1];
    if (value) values.push(value);
  }
  return values;
}

/** `specifier` as a path under the site root, resolved against the importing file's path. */
function sitePath(specifier: string, from: string): string | null {
  if (!specifier.startsWith('/') && !specifier.startsWith('.')) return null;
  return new URL(specifier, `http://site${from}`).pathname;
}

const kib = (bytes: number) => Number((bytes / 1024).toFixed(1));

export async function clientBundle(log: (line: string) => void): Promise<SectionResult> {
  const dist = await buildClient(log);
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const entries = attributes(html, /<script\b[^>]*\btype\s*=\s*["']module["'][^>]*>/g, 'src');
  const preloads = attributes(html, /<link\b[^>]*\brel\s*=\s*["']modulepreload["'][^>]*>/g, 'href');
  if (entries.length === 0) throw new Error('index.html has no <script type="module">.');

  // Files in the order found, each with how it is reached first.
  const found = new Map<string, string>();
  for (const path of entries) found.set(path, 'entry <script type="module">');
  for (const path of preloads) if (!found.has(path)) found.set(path, '<link rel="modulepreload">');
  const sources = new Map<string, string>();
  const load = async (path: string) => {
    let text = sources.get(path);
    if (text === undefined) {
      text = await readFile(join(dist, path), 'utf8');
      sources.set(path, text);
    }
    return text;
  };
  // Static imports of the entry chunk (and of the preloaded chunks), and of what they import in turn.
  const queue = [...found.keys()];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (visited.has(path)) continue;
    visited.add(path);
    for (const match of (await load(path)).matchAll(STATIC_IMPORT)) {
      const target = sitePath(match[2]!, path);
      if (target === null) continue;
      if (!found.has(target)) found.set(target, `static import of ${path.split('/').pop()}`);
      if (!visited.has(target)) queue.push(target);
    }
  }

  const rows: Row[] = [];
  let total = 0;
  let totalRaw = 0;
  for (const [path, reached] of found) {
    const text = await load(path);
    const raw = Buffer.byteLength(text);
    const gzip = gzipSync(text, { level: 9 }).length;
    total += gzip;
    totalRaw += raw;
    rows.push({ file: path.replace(/^\//, ''), 'reached as': reached, 'KiB raw': kib(raw), 'KiB gzip': kib(gzip) });
  }
  const pass = total <= TARGET_GZIP_BYTES;
  rows.push({ file: 'total', 'reached as': `${found.size} files`, 'KiB raw': kib(totalRaw), 'KiB gzip': kib(total) });
  log(`${found.size} first-paint scripts, ${kib(total)} KiB gzip`);
  return {
    rows,
    notes: [
      'Measured: the production build (vite build, NODE_ENV=production) made in this run; from its index.html, the entry <script type="module">, every <link rel="modulepreload">, and the static imports of the entry chunk followed recursively (dynamic import() — the lazily loaded screens, Dexie, the sync engine — excluded). Each file gzipped with node:zlib gzipSync level 9. CSS is not counted. KiB = 1024 bytes.',
      `Target: first-paint JavaScript ≤ ${TARGET_GZIP_BYTES / 1024} KiB gzip — ${pass ? 'PASS' : 'FAIL'} (${kib(total)} KiB).`,
    ],
  };
}
