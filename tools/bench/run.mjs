// `npm run bench`: runs every section in tools/bench/sections (or those named with --only a,b),
// in ONE process on this machine, prints each section's table and writes all results as JSON.
//
// A section module exports `name` (string) and `run(context)`, which returns
// `{ rows: Array<Record<string, string | number>>, ratios?: Record<string, number>, notes?: string[] }`.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1].split(',')) : null;
const outIndex = args.indexOf('--out');
const outFile = outIndex >= 0 ? args[outIndex + 1] : path.join(here, 'results', 'latest.json');

const sectionDir = path.join(here, 'sections');
const files = fs.readdirSync(sectionDir).filter((f) => f.endsWith('.mjs')).sort();
const context = {
  sharedDir: path.resolve(here, '../../../shared'),
  cores: os.availableParallelism?.() ?? os.cpus().length,
};
const results = { machine: { cpus: os.cpus()[0]?.model, cores: context.cores, node: process.version }, sections: {} };

for (const file of files) {
  const section = await import(pathToFileURL(path.join(sectionDir, file)).href);
  if (only && !only.has(section.name)) continue;
  console.log(`\n## ${section.name}`);
  const result = await section.run(context);
  console.table(result.rows);
  if (result.ratios) console.table(result.ratios);
  for (const note of result.notes ?? []) console.log(`note: ${note}`);
  results.sections[section.name] = result;
}

fs.mkdirSync(path.dirname(outFile), { recursive: true });
const tmp = `${outFile}.${process.pid}.tmp`;
fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
fs.renameSync(tmp, outFile);
console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
const failed = Object.entries(results.sections).flatMap(([section, result]) => result.rows.filter((row) => row.pass === false).map((row) => `${section}: ${row.check ?? JSON.stringify(row)}`));
for (const check of failed) console.log(`FAILED ${check}`);
// Worker threads of the wasm backend must not keep the process alive.
process.exit(failed.length > 0 ? 1 : 0);
