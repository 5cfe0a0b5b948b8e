/**
 * Loading the native TensorFlow backends. Both packages register a tfjs
 * backend named 'tensorflow' into the shared tfjs-core engine when imported;
 * they are optional dependencies, so absence is the common case and is
 * reported as a reason, not an error.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DEFAULT_CONV_PATHS, readConvGradientPaths, setConvGradientPaths } from './conv-gradient-paths.js';
import { readOneDnnVerdict } from './onednn-check.js';
import { wantsTensorFlowLog, withStartupLogFiltered } from './tf-startup-log.js';
import * as tf from './tf.js';
import { limitTensorFlowThreads } from './core-budget.js';

const PACKAGES = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const;

interface NativeBinding {
  isUsingGpuDevice?(): boolean;
}

export async function loadNativeBackend(name: keyof typeof PACKAGES): Promise<void> {
  if (name === 'tensorflow' && loadedPackage === PACKAGES['tensorflow-gpu']) {
    // tfjs-node-gpu is already loaded; its 'tensorflow' backend runs on the CPU as well.
    await activate();
    return;
  }
  const specifier: string = PACKAGES[name];
  // Importing a package whose binding was never built registers its kernels and then
  // throws; check for the binding first so a failed attempt leaves nothing behind.
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve(`${specifier}/package.json`);
  } catch {
    throw new Error(explainImportFailure(specifier, Object.assign(new Error(specifier), { code: 'MODULE_NOT_FOUND' })));
  }
  if (!existsSync(join(dirname(manifest), 'lib', 'napi-v8', 'tfjs_binding.node'))) {
    throw new Error(
      `${specifier} is installed without its native binding` +
        (name === 'tensorflow' ? ' (`sweepspec setup native` builds it from a TensorFlow wheel)' : ''),
    );
  }
  // TensorFlow's C++ logging (CPU feature hints) is noise for sweepspec users; what it
  // prints while loading, before it reads this, is filtered by withStartupLogFiltered.
  const userLog = wantsTensorFlowLog();
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // oneDNN only where `setup native` saw it survive a training step (see
  // onednn-check.ts); the user's own TF_ENABLE_ONEDNN_OPTS wins.
  process.env.TF_ENABLE_ONEDNN_OPTS ??= readOneDnnVerdict(dirname(manifest))?.enabled ? '1' : '0';
  // TensorFlow's default CPU allocator is plain malloc (its oneDNN build pools
  // memory instead). glibc maps every buffer above 32 MB afresh and trims the
  // heap top, so each step page-faults its large activations in again: 40-75k
  // faults and up to 0.7 s of kernel time per resnet50 224 px b8 forward pass
  // on the AMD VMs, where a fault is costly; that made a frozen-trunk step
  // 2.6x a forward pass there. The BFC allocator keeps freed memory for reuse.
  process.env.TF_CPU_ALLOCATOR_USE_BFC ??= 'true';
  limitTensorFlowThreads();
  try {
    await withStartupLogFiltered(dirname(manifest), () => import(specifier), userLog);
  } catch (error) {
    throw new Error(explainImportFailure(specifier, error));
  }
  loadedPackage = specifier;
  await activate();
  // The convolution-gradient kernels `setup native` measured fastest here with this oneDNN setting.
  const oneDnn = ['1', 'true'].includes((process.env.TF_ENABLE_ONEDNN_OPTS ?? '').toLowerCase());
  setConvGradientPaths(readConvGradientPaths(dirname(manifest), oneDnn) ?? DEFAULT_CONV_PATHS);
  if (name === 'tensorflow-gpu') {
    const binding = (tf.backend() as unknown as { binding?: NativeBinding }).binding;
    if (!binding?.isUsingGpuDevice?.()) {
      throw new Error(`${specifier} loaded but TensorFlow sees no GPU (check the CUDA libraries and the driver)`);
    }
  }
}

let loadedPackage: string | null = null;

async function activate(): Promise<void> {
  if (!(await tf.setBackend('tensorflow'))) throw new Error("the native 'tensorflow' backend did not initialise");
}

function explainImportFailure(specifier: string, error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(specifier)) {
    return specifier === PACKAGES.tensorflow
      ? `${specifier} is not installed (\`sweepspec setup native\` builds it from a TensorFlow wheel)`
      : `${specifier} is not installed`;
  }
  return `${specifier} failed to load: ${message}`;
}
