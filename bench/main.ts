/**
 * `npm run bench [-- NAME...] [--repeat N]`: runs every bench/<name>.ts that
 * exports `bench()` (or the named ones), prints a table and writes
 * bench/results.json with the machine's facts. Modules take medians of their
 * own repeated measurements; --repeat N also reruns whole modules and keeps
 * the median of each figure. Figures taken on a shared machine are contended:
 * results.json records the load average at the start.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machineFacts } from './machine.js';
import type { BenchModule, BenchRow } from './types.js';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const NOT_MODULES = new Set(['main', 'types', 'machine']);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function parseArgs(argv: readonly string[]): { names: string[]; repeat: number | undefined } {
  const names: string[] = [];
  let repeat: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repeat') repeat = Math.max(1, Number(argv[++i]) || 1);
    else names.push(argv[i]);
  }
  return { names, repeat };
}

function formatTable(rows: readonly BenchRow[]): string {
  const cells = [['group', 'name', 'value', 'unit', 'note'], ...rows.map((r) => [r.group, r.name, formatValue(r.value), r.unit, r.note ?? ''])];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((cell, i) => (i === 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

function formatValue(value: number): string {
  return Math.abs(value) >= 100 || Number.isInteger(value) ? String(Math.round(value)) : value.toPrecision(3);
}

async function main(): Promise<number> {
  const { names, repeat } = parseArgs(process.argv.slice(2));
  const available = readdirSync(DIR)
    .filter((file) => file.endsWith('.ts') && !NOT_MODULES.has(file.slice(0, -3)))
    .map((file) => file.slice(0, -3))
    .sort();
  const unknown = names.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`bench: no module ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
    return 2;
  }
  const machine = machineFacts();
  const rows: BenchRow[] = [];
  const repeats: Record<string, number> = {};
  let failed = 0;
  for (const name of names.length > 0 ? names : available) {
    const module = (await import(pathToFileURL(`${DIR}${name}.ts`).href)) as Partial<BenchModule>;
    if (typeof module.bench !== 'function') continue;
    process.stderr.write(`bench: ${name}...\n`);
    try {
      const runs: BenchRow[][] = [];
      repeats[name] = repeat ?? module.defaultRepeat ?? 1;
      for (let i = 0; i < repeats[name]; i++) runs.push(await module.bench());
      rows.push(...runs[0].map((row, i) => ({ ...row, value: median(runs.map((r) => r[i]?.value ?? row.value)) })));
    } catch (error) {
      failed++;
      process.stderr.write(`bench: ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  const facts = `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, tfjs ${machine.tfjs}, load ${machine.loadAverage1m}`;
  process.stdout.write(`\n${facts}\n`);
  writeFileSync(`${DIR}results.json`, `${JSON.stringify({ date: new Date().toISOString(), machine, repeats, rows }, null, 2)}\n`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
