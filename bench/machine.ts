import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The facts a benchmark figure means nothing without. */
export interface MachineFacts {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly loadAverage1m: number;
  readonly node: string;
  readonly platform: string;
  readonly tfjs: string | null;
}

export function machineFacts(): MachineFacts {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round(os.loadavg()[0] * 100) / 100,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    tfjs: packageVersion('@tensorflow/tfjs-core'),
  };
}

function packageVersion(name: string): string | null {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}
