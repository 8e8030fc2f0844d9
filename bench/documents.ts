// Benchmark section "Pack station documents": time per document as the server renders them, one at
// a time on one core: carton labels as PDF (pdf-lib, SSCC drawn by bwip-js) and as ZPL, and
// packing slips as PDF (order barcode, a page-and-a-bit of lines).
import { performance } from 'node:perf_hooks';
import { cartonLabelPdf, cartonLabelZpl, packingSlipPdf, ssccFor, type CartonLabel, type PackingSlip } from '../server/documents/index';
import { percentile, type Row, type SectionResult } from './table';

/** Carton labels rendered in each format. */
const LABELS = 200;
/** Packing slips rendered. */
const SLIPS = 50;
/** Lines per packing slip: enough to run onto a second A4 page. */
const SLIP_LINES = 40;
/** Renders of each kind before timing starts (module loading, JIT, font tables). */
const WARMUP = 10;
/** A label prints while the packer closes the carton: rendered within this at p95, nobody waits on it. */
const TARGET_LABEL_P95_MS = 50;

const ms = (value: number) => Number(value.toFixed(2));

function label(i: number): CartonLabel {
  return {
    ownerName: 'Zoë Ø Outdoor GmbH',
    orderNumber: `#${100_000 + Math.floor(i / 3)}`,
    shipTo: { name: `Jürgen Weiß ${i}`, company: i % 2 ? 'Café Köln' : null, lines: ['Domkloster 4', '50667 Köln', 'Germany'] },
    cartonNumber: (i % 3) + 1,
    cartonCount: 3,
    weightKg: 1 + (i % 17) * 0.35,
    contents: Array.from({ length: 1 + (i % 9) }, (_, n) => ({ sku: `SKU-${n}`, qty: 1 + n })),
    sscc: ssccFor('0614141', 1, 100_000 + i),
  };
}

function slip(i: number): PackingSlip {
  return {
    ownerName: 'Zoë Ø Outdoor GmbH',
    orderNumber: `#${200_000 + i}`,
    orderDate: '2026-12-07',
    shipTo: { name: 'Jürgen Weiß', company: 'Café Köln', lines: ['Domkloster 4', '50667 Köln', 'Germany'] },
    shippingMethod: 'DHL Paket',
    lines: Array.from({ length: SLIP_LINES }, (_, n) => ({
      sku: `SKU-${n}`,
      name: n % 5 === 0 ? 'Two-person tent with a name long enough to wrap in the product column' : `Product ${n}`,
      ordered: 2,
      packed: 2,
      lot: n % 3 === 0 ? `L2026-${n}` : null,
    })),
    cartonCount: 2,
  };
}

/** Times `render` over `count` inputs (after warm-up); answers milliseconds each and the mean output size. */
async function time<T>(count: number, input: (i: number) => T, render: (value: T) => Promise<Buffer | string> | string): Promise<{ samples: number[]; bytes: number }> {
  for (let i = 0; i < WARMUP; i++) await render(input(i));
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const value = input(i);
    const started = performance.now();
    const out = await render(value);
    samples.push(performance.now() - started);
    bytes += typeof out === 'string' ? Buffer.byteLength(out) : out.length;
  }
  return { samples, bytes: bytes / count };
}

export async function documents(log: (line: string) => void): Promise<SectionResult> {
  const runs: [string, number, () => ReturnType<typeof time>][] = [
    ['Carton label, PDF (4×6 in)', LABELS, () => time(LABELS, label, cartonLabelPdf)],
    ['Carton label, ZPL (203 dpi)', LABELS, () => time(LABELS, label, cartonLabelZpl)],
    [`Packing slip, PDF (A4, ${SLIP_LINES} lines)`, SLIPS, () => time(SLIPS, slip, packingSlipPdf)],
  ];
  const rows: Row[] = [];
  const labelP95: number[] = [];
  for (const [document, count, run] of runs) {
    log(`${document} × ${count}`);
    const { samples, bytes } = await run();
    const sorted = [...samples].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    if (document.startsWith('Carton')) labelP95.push(p95);
    rows.push({ document, count, 'p50 ms': ms(percentile(sorted, 50)), 'p95 ms': ms(p95), 'max ms': ms(sorted.at(-1)!), 'KiB each': Number((bytes / 1024).toFixed(1)) });
  }
  const worst = Math.max(...labelP95);
  return {
    rows,
    notes: [
      `Time per document, rendered one after another in one process after ${WARMUP} warm-up renders of each kind; PDF sizes as saved, ZPL as UTF-8.`,
      `Target: a carton label renders in ≤ ${TARGET_LABEL_P95_MS} ms at p95 in either format: worst p95 ${ms(worst)} ms — ${worst <= TARGET_LABEL_P95_MS ? 'met' : 'NOT met'}.`,
    ],
  };
}
