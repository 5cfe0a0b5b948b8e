/**
 * `model.pretrained` to a weights file (language spec, "Weights files"):
 * 'none' -> null; 'imagenet' -> <weights dir>/<arch>-imagenet.safetensors,
 * where the weights dir is SWEEPSPEC_WEIGHTS or ~/.cache/sweepspec/weights;
 * anything else is a path relative to the spec's directory.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../bin/user-error.js';
import type { ArchName } from '../../compiler/types/run-config.js';

export function weightsDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.SWEEPSPEC_WEIGHTS && env.SWEEPSPEC_WEIGHTS.length > 0 ? env.SWEEPSPEC_WEIGHTS : join(homedir(), '.cache', 'sweepspec', 'weights');
}

export function resolvePretrained(pretrained: string, specDir: string, arch: ArchName, env: NodeJS.ProcessEnv = process.env): string | null {
  if (pretrained === 'none') return null;
  if (pretrained === 'imagenet') {
    const directory = weightsDirectory(env);
    const file = join(directory, `${arch}-imagenet.safetensors`);
    if (!existsSync(file)) {
      throw new UserError(
        `ImageNet weights for ${arch} not found at ${file}. Make them where PyTorch and torchvision are installed with ` +
          `\`python3 tools/convert-torchvision-weights.py --arch ${arch} --out ${directory}\` (or set SWEEPSPEC_WEIGHTS to the folder that holds them).`,
      );
    }
    return file;
  }
  const file = isAbsolute(pretrained) ? pretrained : resolve(specDir, pretrained);
  if (!existsSync(file)) throw new UserError(`pretrained weights file ${file} does not exist (model.pretrained: ${pretrained})`);
  return file;
}
