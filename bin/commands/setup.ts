import type { Command } from 'commander';

export function register(program: Command): void {
  const setup = program.command('setup').description('Set up optional parts of sweepspec on this machine');
  setup
    .command('native')
    .description(
      'Build the native TensorFlow backend (@tensorflow/tfjs-node) against a TensorFlow pip wheel or libtensorflow directory, ' +
        'for machines where its installer cannot download libtensorflow; without a file, fetches tensorflow-cpu==2.21.0 with pip. ' +
        'A GPU wheel works the same way.',
    )
    .option('--tensorflow-wheel <file>', 'a tensorflow / tensorflow-cpu wheel (.whl) to take the C library and headers from')
    .option('--libtensorflow <dir>', 'an unpacked libtensorflow (lib/ and include/)')
    .action(async (options: { tensorflowWheel?: string; libtensorflow?: string }) => {
      const { setupNative } = await import('../../runtime/backend/setup-native.js');
      await setupNative({ ...options, log: (line) => process.stdout.write(`${line}\n`) });
    });
}
