/**
 * `sweepspec setup native`: builds @tensorflow/tfjs-node against the C
 * library of a TensorFlow pip wheel (or an unpacked libtensorflow), for
 * machines where tfjs-node's install script cannot download libtensorflow.
 *
 *   1. install @tensorflow/tfjs-node 4.22.0 without its install script
 *      (npm, under a file lock shared with other npm runs on the machine);
 *   2. take libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the
 *      headers from the wheel (`pip download --no-deps tensorflow-cpu==2.21.0`
 *      when no file is given) into the package's deps/ (libtensorflow.so and
 *      libtensorflow.so.2 link to libtensorflow_cc.so.2, which keeps its name
 *      because the binding records it);
 *   3. build the binding with node-gyp into lib/napi-v8;
 *   4. check in a fresh process that the 'tensorflow' backend loads;
 *   5. check in another whether oneDNN's kernels survive a training step
 *      here, and record the verdict the loader follows (onednn-check.ts);
 *   6. time TensorFlow's own convolution-gradient kernels against composed
 *      forward convolutions, with oneDNN off and (where it runs) on, and
 *      record the faster per setting (conv-gradient-check.ts).
 * GPU users can point --tensorflow-wheel at a `tensorflow` (GPU) wheel the same way.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { UserError } from '../../bin/user-error.js';
import { checkConvGradientPaths, describeConvPaths } from './conv-gradient-check.js';
import { buildStderrCapture } from './build-stderr-capture.js';
import { checkOneDnn } from './onednn-check.js';

const exec = promisify(execFile);
const TFJS_NODE_VERSION = '4.22.0';
const DEFAULT_WHEEL = 'tensorflow-cpu==2.21.0';

export interface SetupNativeOptions {
  readonly tensorflowWheel?: string;
  readonly libtensorflow?: string;
  /** Project root holding node_modules (default: this checkout). */
  readonly projectRoot?: string;
  /** Where a downloaded wheel and the unpacked library are kept. */
  readonly cacheDir?: string;
  readonly log?: (line: string) => void;
}

export async function setupNative(options: SetupNativeOptions): Promise<{ packageDir: string }> {
  const root = options.projectRoot ?? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const cache = options.cacheDir ?? join(homedir(), '.cache', 'sweepspec', 'native');
  const log = options.log ?? (() => undefined);
  if (options.tensorflowWheel && options.libtensorflow) throw new UserError('give either --tensorflow-wheel or --libtensorflow, not both');
  mkdirSync(cache, { recursive: true });

  const packageDir = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
  await installPackage(root, packageDir, log);
  const library = options.libtensorflow ? libraryFromDirectory(resolve(options.libtensorflow)) : await libraryFromWheel(options.tensorflowWheel, cache, log);
  linkLibrary(packageDir, library);
  log('building the tfjs-node binding with node-gyp ...');
  await run(process.execPath, [nodeGyp(), 'rebuild', '--module_name=tfjs_binding', `--module_path=${join(packageDir, 'lib', 'napi-v8')}`, '--napi_build_version=8', ...nodeDir()], packageDir, 'node-gyp');
  await run(process.execPath, ['-e', "require('@tensorflow/tfjs-node'); const tf = require('@tensorflow/tfjs'); if (tf.getBackend() !== 'tensorflow') process.exit(3);"], root, 'loading the built backend');
  log(`the addon that keeps TensorFlow's start-up lines off the terminal: ${await buildStderrCapture(packageDir)}`);
  log('checking whether TensorFlow\'s oneDNN kernels run on this CPU ...');
  const oneDnn = await checkOneDnn(root, packageDir);
  log(`oneDNN ${oneDnn.enabled ? 'on' : 'off'}: ${oneDnn.reason}`);
  log('timing native and composed convolution gradients on this machine ...');
  for (const line of describeConvPaths(await checkConvGradientPaths(root, packageDir, oneDnn.enabled))) log(line);
  log(`native TensorFlow backend ready (${packageDir})`);
  return { packageDir };
}

interface Library {
  readonly cc: string;
  readonly framework: string;
  readonly include: string;
}

async function installPackage(root: string, packageDir: string, log: (line: string) => void): Promise<void> {
  const manifest = join(packageDir, 'package.json');
  if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version === TFJS_NODE_VERSION) return;
  log(`installing @tensorflow/tfjs-node@${TFJS_NODE_VERSION} without its install script ...`);
  const npm = ['npm', 'install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `@tensorflow/tfjs-node@${TFJS_NODE_VERSION}`];
  const lock = join(tmpdir(), 'npm.lock');
  const hasFlock = await exec('flock', ['--version']).then(() => true, () => false);
  await run(hasFlock ? 'flock' : npm[0], hasFlock ? [lock, ...npm] : npm.slice(1), root, 'npm install');
}

async function libraryFromWheel(wheel: string | undefined, cache: string, log: (line: string) => void): Promise<Library> {
  let file = wheel ? resolve(wheel) : findWheel(cache);
  if (wheel && !existsSync(file ?? '')) throw new UserError(`TensorFlow wheel ${wheel} does not exist`);
  if (!file) {
    log(`downloading the ${DEFAULT_WHEEL} wheel with pip ...`);
    await run('pip', ['download', '--no-deps', DEFAULT_WHEEL, '-d', cache], cache, 'pip download').catch(async () =>
      run('pip', ['download', '--no-deps', '--only-binary=:all:', '--python-version', '3.11', '--platform', 'manylinux_2_27_x86_64', DEFAULT_WHEEL, '-d', cache], cache, 'pip download'),
    );
    file = findWheel(cache);
    if (!file) throw new UserError(`pip download left no tensorflow wheel in ${cache}`);
  }
  const target = join(cache, 'unpacked', file.split('/').pop()?.replace(/\.whl$/, '') ?? 'wheel');
  const lib = join(target, 'tensorflow');
  if (!existsSync(join(lib, 'libtensorflow_cc.so.2'))) {
    log(`unpacking the C library and headers from ${file} ...`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    await run('unzip', ['-q', '-o', file, 'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2', 'tensorflow/include/*', '-d', target], cache, 'unzip');
  }
  return { cc: join(lib, 'libtensorflow_cc.so.2'), framework: join(lib, 'libtensorflow_framework.so.2'), include: join(lib, 'include') };
}

function findWheel(dir: string): string | null {
  const wheel = readdirSync(dir).find((name) => /^tensorflow(_cpu|_gpu)?-.*\.whl$/.test(name));
  return wheel ? join(dir, wheel) : null;
}

/** A libtensorflow release layout: lib/libtensorflow(.so.2 | _cc.so.2), lib/libtensorflow_framework.so.2, include/. */
function libraryFromDirectory(dir: string): Library {
  const lib = join(dir, 'lib');
  const cc = ['libtensorflow_cc.so.2', 'libtensorflow.so.2'].map((name) => join(lib, name)).find((p) => existsSync(p));
  const framework = join(lib, 'libtensorflow_framework.so.2');
  if (!cc || !existsSync(framework) || !existsSync(join(dir, 'include'))) {
    throw new UserError(`${dir} is not a libtensorflow directory (expected lib/libtensorflow.so.2, lib/libtensorflow_framework.so.2 and include/)`);
  }
  return { cc, framework, include: join(dir, 'include') };
}

function linkLibrary(packageDir: string, library: Library): void {
  const deps = join(packageDir, 'deps');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(join(deps, 'lib'), { recursive: true });
  const name = library.cc.split('/').pop() as string;
  symlinkSync(library.cc, join(deps, 'lib', name));
  symlinkSync(library.framework, join(deps, 'lib', 'libtensorflow_framework.so.2'));
  symlinkSync('libtensorflow_framework.so.2', join(deps, 'lib', 'libtensorflow_framework.so'));
  for (const alias of ['libtensorflow.so', 'libtensorflow.so.2', 'libtensorflow_cc.so.2']) {
    if (alias !== name) symlinkSync(name, join(deps, 'lib', alias));
  }
  symlinkSync(library.include, join(deps, 'include'));
}

function nodeGyp(): string {
  const npmDir = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(npmDir)) return npmDir;
  throw new UserError(`node-gyp not found (looked for npm's copy at ${npmDir})`);
}

/** Build against the installed Node headers when present, so node-gyp needs no download. */
function nodeDir(): string[] {
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

async function run(command: string, args: readonly string[], cwd: string, what: string): Promise<void> {
  try {
    await exec(command, args as string[], { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    const detail = (e.stderr || e.stdout || e.message).trim().split('\n').slice(-3).join(' | ');
    throw new UserError(`${what} failed: ${detail}`, { exitCode: 1 });
  }
}
