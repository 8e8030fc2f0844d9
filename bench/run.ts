// `npm run bench`: runs every benchmark section, or one with `--only <id>`, and prints each as a
// titled table (also saved to bench/results/<id>.json). A new benchmark is a module added to SECTIONS.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { syncThroughput } from './sync-throughput';
import { formatTable, type Section } from './table';

const SECTIONS: Section[] = [
  { id: 'sync', title: 'Sync push throughput', run: syncThroughput },
];

const USAGE = `Usage: npm run bench -- [--only <section>]\nSections: ${SECTIONS.map((s) => `${s.id} (${s.title})`).join(', ')}`;

function chooseSections(argv: string[]): Section[] | null {
  let only: string | undefined;
  try {
    ({ values: { only } } = parseArgs({ args: argv, strict: true, options: { only: { type: 'string' } } }));
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return null;
  }
  if (only === undefined) return SECTIONS;
  const section = SECTIONS.find((s) => s.id === only || s.title.toLowerCase() === only.toLowerCase());
  if (!section) {
    console.error(`bench: no section "${only}".\n${USAGE}`);
    return null;
  }
  return [section];
}

async function main(): Promise<number> {
  const sections = chooseSections(process.argv.slice(2));
  if (!sections) return 2;
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`Machine: ${machine}\n`);
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
  return failed ? 1 : 0;
}

process.exitCode = await main();
