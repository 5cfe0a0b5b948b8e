/**
 * The compiler's benchmark (`npm run bench -- compiler`): expand a
 * 100,000-run matrix (5 axes of 10 values) into a plan, in a fresh child
 * process each time so peak memory is the expansion's own. Targets: < 1 s
 * and < 300 MB. Also: the first compile of a process (schemas compiled) and
 * the refusal of a 10^10-run matrix. Medians of 3 children.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compile } from '../compiler/compile.js';
import { memoryHost } from '../compiler/host.js';
import type { BenchRow } from './types.js';

const GROUP = 'compiler';
const CHILD_FLAG = '--compiler-bench-child';

function matrixSpec(axes: number, values: number): string {
  const paths = ['optimizer.lr', 'model.dropout', 'epochs', 'seed', 'data.batch_size', 'data.image_size', 'data.eval_batch_size', 'loss.label_smoothing', 'optimizer.weight_decay', 'optimizer.momentum'];
  const value = (path: string, i: number) =>
    path === 'optimizer.lr' ? 0.001 * (i + 1) : /dropout|smoothing|momentum/.test(path) ? i / (values * 2) : path === 'data.image_size' ? 32 + i : path === 'optimizer.weight_decay' ? i * 1e-4 : i + 1;
  const lines = paths.slice(0, axes).map((path) => `      ${path}: [${Array.from({ length: values }, (_, i) => value(path, i)).join(', ')}]`);
  return `version: 1\nname: bench\ndata: { root: data }\nexperiments:\n  big:\n    matrix:\n${lines.join('\n')}\n`;
}

/** In the child: warm up (schemas compile), then time one 100,000-run compile. */
function child(): void {
  const host = memoryHost({ 'warm.yaml': matrixSpec(1, 2), 'big.yaml': matrixSpec(5, 10), 'huge.yaml': matrixSpec(10, 10) });
  let t = performance.now();
  compile({ specPath: 'warm.yaml', host });
  const coldMs = performance.now() - t;
  t = performance.now();
  const refused = compile({ specPath: 'huge.yaml', host });
  const refuseMs = performance.now() - t;
  t = performance.now();
  const cpu = process.cpuUsage();
  const result = compile({ specPath: 'big.yaml', host, maxRuns: 100_000 });
  const expandMs = performance.now() - t;
  const { user, system } = process.cpuUsage(cpu);
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  const heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  const bytes = Buffer.byteLength(JSON.stringify(result.plan));
  const runs = result.plan?.runs.length ?? 0;
  const report = { coldMs, refuseMs, refusedCount: String(refused.runCount), expandMs, cpuMs: (user + system) / 1000, runs, bytes, maxRssMB, heapMB };
  process.stdout.write(JSON.stringify(report));
}

type ChildReport = { coldMs: number; refuseMs: number; refusedCount: string; expandMs: number; cpuMs: number; runs: number; bytes: number; maxRssMB: number; heapMB: number };

/** Single measurements: `npm run bench` takes the median of three runs of the module. */
export const defaultRepeat = 3;

export async function bench(): Promise<BenchRow[]> {
  const reports: ChildReport[] = [];
  for (let i = 0; i < 3; i++) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`compiler bench child failed: ${out.stderr}`);
    reports.push(JSON.parse(out.stdout) as ChildReport);
  }
  const med = (key: keyof ChildReport) => {
    const values = reports.map((r) => Number(r[key])).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)];
  };
  if (reports.some((r) => r.runs !== 100_000 || r.refusedCount !== '10000000000')) throw new Error('compiler bench: unexpected run counts');
  return [
    { group: GROUP, name: 'expand 100,000-run matrix', value: med('expandMs') / 1000, unit: 's', note: 'target < 1 s; schemas already compiled' },
    { group: GROUP, name: 'expand 100,000-run matrix, CPU time', value: med('cpuMs') / 1000, unit: 's', note: 'user + system; includes GC threads' },
    { group: GROUP, name: 'peak memory (whole process)', value: med('maxRssMB'), unit: 'MB', note: 'target < 300 MB; max RSS of the child, Node and tsx included' },
    { group: GROUP, name: 'heap used after expansion', value: med('heapMB'), unit: 'MB', note: 'the plan and everything else alive' },
    { group: GROUP, name: 'plan JSON, 100,000 runs', value: med('bytes') / 2 ** 20, unit: 'MiB' },
    { group: GROUP, name: 'first compile (schemas compiled)', value: med('coldMs'), unit: 'ms' },
    { group: GROUP, name: 'refuse 10^10-run matrix', value: med('refuseMs'), unit: 'ms', note: 'count computed, nothing materialised' },
  ];
}

if (process.argv.includes(CHILD_FLAG)) child();
