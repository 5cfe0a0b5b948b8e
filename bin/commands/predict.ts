import { type Command, InvalidArgumentError, Option } from 'commander';

interface PredictOptions {
  arch?: string;
  weights?: string;
  classes?: number;
  imageSize?: number;
  top: number;
  json?: boolean;
  backend: 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function register(program: Command): void {
  program
    .command('predict')
    .description('Classify images with a finished run (RUN_DIR) or a weights file (--arch, --weights, --classes): top classes with probabilities')
    .argument('<inputs...>', 'RUN_DIR then images, or only images with --weights')
    .addOption(new Option('--arch <arch>', 'architecture of --weights').choices(['resnet18', 'resnet34', 'resnet50', 'squeezenet1_1']))
    .option('--weights <file>', 'safetensors weights (torchvision names, e.g. a checkpoint model.safetensors)')
    .option('--classes <n>', 'classes of the --weights head', parsePositive)
    .option('--image-size <s>', 'input size (default: the run config, else 224)', parsePositive)
    .option('--top <k>', 'classes shown per image', parsePositive, 3)
    .option('--json', 'one JSON object per image, with the raw logits')
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).default('auto'))
    .action(async (inputs: string[], options: PredictOptions) => {
      const { UserError } = await import('../user-error.js');
      const { selectBackend } = await import('../../runtime/backend/select-backend.js');
      const { buildNetwork } = await import('../../runtime/models/build-network.js');
      const { loadWeights } = await import('../../runtime/weights/load-weights.js');
      const { predictImages } = await import('../../runtime/models/predict-images.js');
      let source: { arch: string; numClasses: number; imageSize: number; classes?: readonly string[]; file: string };
      let images: string[];
      if (options.weights !== undefined) {
        if (!options.arch || !options.classes) throw new UserError('--weights needs --arch and --classes');
        source = { arch: options.arch, numClasses: options.classes, imageSize: options.imageSize ?? 224, file: options.weights };
        images = inputs;
      } else {
        if (options.arch || options.classes) throw new UserError('--arch and --classes go with --weights; a run directory knows its own');
        const [runDir, ...rest] = inputs;
        const { runWeights } = await import('../../runtime/weights/run-weights.js');
        const run = await runWeights(runDir);
        source = { arch: run.config.model.arch, numClasses: run.classes.length, imageSize: options.imageSize ?? run.config.data.image_size, classes: run.classes, file: run.file };
        images = rest;
      }
      if (images.length === 0) throw new UserError('no images given');
      await selectBackend(options.backend);
      const network = buildNetwork({ arch: source.arch as 'resnet18', numClasses: source.numClasses, trainableLayers: 0, dropout: 0 });
      await loadWeights(network, source.file);
      const results = await predictImages({ network, files: images, imageSize: source.imageSize, classes: source.classes, top: options.top });
      network.dispose();
      for (const result of results) {
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
          continue;
        }
        const best = result.top.map((t) => `${t.name} ${(100 * t.probability).toFixed(1)}%`).join(', ');
        process.stdout.write(`${result.file}: ${best}\n`);
      }
    });
}
