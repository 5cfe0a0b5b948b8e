import { type Command, InvalidArgumentError } from 'commander';

function parseCount(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
}

function parseLayers(value: string): number | 'all' {
  return value === 'all' ? 'all' : parseCount(value);
}

export function register(program: Command): void {
  program
    .command('models')
    .description("Each architecture's convolution-layer count and parameter counts (total, and trainable for --trainable-layers)")
    .option('--trainable-layers <n>', "the last N conv layers train (plus the head); 0 = head only; 'all'", parseLayers, 'all')
    .option('--classes <n>', 'classes of the new head', parseCount, 10)
    .option('--json', 'print the rows as JSON')
    .action(async (options: { trainableLayers: number | 'all'; classes: number; json?: boolean }) => {
      const { ARCH_NAMES } = await import('../../compiler/types/run-config.js');
      const { architectureParameterCounts, convLayerCount } = await import('../../runtime/models/count-parameters.js');
      const { UserError } = await import('../user-error.js');
      if (options.classes < 1) throw new UserError('--classes must be at least 1');
      const rows = ARCH_NAMES.map((arch) => {
        const layers = convLayerCount(arch);
        const requested = options.trainableLayers === 'all' ? 'all' : Math.min(options.trainableLayers, layers);
        const counts = architectureParameterCounts(arch, options.classes, requested);
        return { arch, conv_layers: layers, trainable_layers: requested, total_parameters: counts.total, trainable_parameters: counts.trainable };
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const table = [
        ['arch', 'conv layers', 'parameters', `trainable (${String(options.trainableLayers)} layers)`],
        ...rows.map((r) => [r.arch, String(r.conv_layers), r.total_parameters.toLocaleString('en-US'), r.trainable_parameters.toLocaleString('en-US')]),
      ];
      const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
      for (const row of table) process.stdout.write(`${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}\n`);
      if (options.trainableLayers !== 'all' && rows.some((r) => r.trainable_layers !== options.trainableLayers)) {
        process.stdout.write(`(architectures with fewer than ${options.trainableLayers} conv layers train all of them)\n`);
      }
    });
}
