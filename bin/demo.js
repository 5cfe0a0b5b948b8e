#!/usr/bin/env node
// `npm run demo`: the whole path a user takes, on the embedded Fashion-MNIST
// sample: validate, plan, run and report specs/demo.yaml. Prints the report's
// path and opens nothing. A second run reuses every completed run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'bin', 'sweepspec.js');
const spec = path.join('specs', 'demo.yaml');
const results = process.env.SWEEPSPEC_RESULTS ?? 'results';
const report = path.join(results, 'demo', 'report.html');

const steps = [
  ['validate', spec],
  ['plan', spec],
  ['run', spec, '--results', results, ...process.argv.slice(2)],
  ['report', spec, '--results', results, '--out', report],
];

const started = Date.now();
for (const args of steps) {
  process.stdout.write(`\n$ sweepspec ${args.join(' ')}\n`);
  const { status, signal } = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (status !== 0) {
    process.stderr.write(`demo: 'sweepspec ${args[0]}' ${signal ? `was killed by ${signal}` : `exited with ${status}`}\n`);
    process.exit(status ?? 1);
  }
}
const seconds = ((Date.now() - started) / 1000).toFixed(0);
process.stdout.write(`\nDemo finished in ${seconds} s. Report: ${path.resolve(root, report)}\n`);
process.stdout.write(`Curves and the HParams table in TensorBoard: tensorboard --logdir ${path.resolve(root, results, 'demo')}\n`);
