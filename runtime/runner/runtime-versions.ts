import { readFile } from 'node:fs/promises';

/** Versions recorded with each run: sweepspec, Node, TensorFlow.js and the active backend's package. */
export async function runtimeVersions(): Promise<Record<string, string>> {
  const tf = await import('../backend/tf.js');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const versions: Record<string, string> = { sweepspec: pkg.version, node: process.version, tfjs: tf.version_core, backend: tf.getBackend() };
  return versions;
}
