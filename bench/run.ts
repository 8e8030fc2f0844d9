// `npm run bench`: runs every benchmark section, or those named by `--only <id>[,<id>…]`, and prints each as a
// titled table (also saved to bench/results/<id>.json). A new benchmark is a module added to SECTIONS.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { cameraAccuracy } from './camera-accuracy';
import { closeCameraHarness } from './camera-harness';
import { cameraSpeed } from './camera-speed';
import { clientBundle } from './client-bundle';
import { clientFirstLoad } from './client-first-load';
import { closeClientHarness } from './client-harness';
import { clientPack } from './client-pack';
import { clientScan } from './client-scan';
import { documents } from './documents';
import { orderIntake } from './intake';
import { syncThroughput } from './sync-throughput';
import { sseFanout } from './sse-fanout';
import { formatTable, type Section } from './table';

const SECTIONS: Section[] = [
  { id: 'sync', title: 'Sync push throughput', run: syncThroughput },
  { id: 'sse-fanout', title: 'Supervisors’ live feed: push committed to event received', run: sseFanout },
  { id: 'intake', title: 'Order intake: webhooks and CSV to pick lists, allocation', run: orderIntake },
  { id: 'documents', title: 'Pack station documents: packing slips and carton labels', run: documents },
  // The client sections share one build, server and Chromium (bench/client-harness.ts).
  { id: 'client-load', title: 'Client: first load', run: clientFirstLoad },
  { id: 'client-scan', title: 'Client: scan to confirmed', run: clientScan },
  { id: 'client-pack', title: 'Client: pack scan to confirmed', run: clientPack },
  { id: 'client-js', title: 'Client: first-paint JavaScript', run: clientBundle },
  // The camera sections share one build of bench/camera-page and its server (bench/camera-harness.ts).
  { id: 'camera-accuracy', title: 'Camera: accuracy on real photos', run: cameraAccuracy },
  { id: 'camera-speed', title: 'Camera: speed', run: cameraSpeed },
];

const USAGE = `Usage: npm run bench -- [--only <section>[,<section>…]]\nSections: ${SECTIONS.map((s) => `${s.id} (${s.title})`).join(', ')}`;

function chooseSections(argv: string[]): Section[] | null {
  let only: string[] | undefined;
  try {
    ({ values: { only } } = parseArgs({ args: argv, strict: true, options: { only: { type: 'string', multiple: true } } }));
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return null;
  }
  if (only === undefined) return SECTIONS;
  const names = only.flatMap((value) => value.split(',')).map((name) => name.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((name) => !SECTIONS.some((s) => s.id === name || s.title.toLowerCase() === name));
  if (unknown.length > 0) {
    console.error(`bench: no section ${unknown.map((name) => `"${name}"`).join(', ')}.\n${USAGE}`);
    return null;
  }
  // In the order SECTIONS lists them, each once.
  return SECTIONS.filter((s) => names.includes(s.id) || names.includes(s.title.toLowerCase()));
}

async function main(): Promise<number> {
  const sections = chooseSections(process.argv.slice(2));
  if (!sections) return 2;
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`Machine: ${machine}\n`);
  try {
    return (await runSections(sections, machine)) ? 1 : 0;
  } finally {
    // The browser sections' build, server, Chromium and temp folders (made only if one ran).
    await closeClientHarness();
    await closeCameraHarness();
  }
}

/** Runs and prints each section; answers whether any failed. */
async function runSections(sections: Section[], machine: string): Promise<boolean> {
  let failed = false;
  for (const section of sections) {
    const started = performance.now();
    try {
      const result = await section.run((line) => console.error(`  [${section.id}] ${line}`));
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      console.log(`## ${section.title}\n\n${formatTable(result.rows)}\n`);
      for (const note of result.notes) console.log(`- ${note}`);
      console.log(`- Section took ${seconds} s.\n`);
      await mkdir(new URL('./results/', import.meta.url), { recursive: true });
      await writeFile(new URL(`./results/${section.id}.json`, import.meta.url),
        `${JSON.stringify({ section: section.title, date: new Date().toISOString(), machine, ...result }, null, 2)}\n`);
    } catch (error) {
      failed = true;
      console.error(`## ${section.title} failed:`, error);
    }
  }
  return failed;
}

process.exitCode = await main();
