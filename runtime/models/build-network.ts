/**
 * Builds a torchvision-equivalent network as named tfjs variables, initialised
 * from a seed like torchvision, split into a frozen prefix and a training
 * suffix at the first stage that holds a trainable parameter.
 */
import type { ArchName } from '../../compiler/types/run-config.js';
import * as tf from '../backend/tf.js';
import type { Architecture } from './architecture.js';
import { ForwardContext } from './forward-context.js';
import { initialValues } from './initial-values.js';
import type { ForwardOptions, ForwardResult, Network } from './network.js';
import { resnet } from './resnet.js';
import { squeezenet11 } from './squeezenet.js';
import { trainableModules } from './trainable-modules.js';

export interface BuildNetworkOptions {
  readonly arch: ArchName;
  readonly numClasses: number;
  readonly trainableLayers: number | 'all';
  /** Dropout before the classifier while training. */
  readonly dropout: number;
  /** Seed of the initial weights (default 0). */
  readonly seed?: number;
}

export function architecture(arch: ArchName, numClasses: number): Architecture {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  switch (arch) {
    case 'resnet18':
    case 'resnet34':
    case 'resnet50':
      return resnet(arch, numClasses);
    case 'squeezenet1_1':
      return squeezenet11(numClasses);
    default:
      throw new RangeError(`unknown architecture ${String(arch)}`);
  }
}

let instances = 0;

export function buildNetwork(options: BuildNetworkOptions): Network {
  const arch = architecture(options.arch, options.numClasses);
  const trainable = trainableModules(arch, options.trainableLayers);
  const seed = options.seed ?? 0;
  const scope = `sweepspec${instances++}`;
  const parameters = new Map<string, tf.Variable>();
  const buffers = new Map<string, tf.Variable>();
  for (const spec of arch.params) {
    const initial = tf.tensor(initialValues(spec, seed), spec.shape as number[]);
    parameters.set(spec.name, tf.variable(initial, trainable.has(spec.module), `${scope}/${spec.name}`));
    initial.dispose();
  }
  for (const spec of arch.buffers) {
    const initial = spec.kind === 'running_var' ? tf.ones(spec.shape as number[]) : tf.zeros(spec.shape as number[]);
    buffers.set(spec.name, tf.variable(initial, false, `${scope}/${spec.name}`));
    initial.dispose();
  }
  const trainableNames = arch.params.filter((p) => trainable.has(p.module)).map((p) => p.name);
  const boundary = arch.stages.findIndex((stage) => stage.modules.some((m) => trainable.has(m)));
  const prefixStages = arch.stages.slice(0, boundary);
  const suffixStages = arch.stages.slice(boundary);
  const trainableBatchNorms = new Set([...arch.batchNormOf.values()].filter((bn) => trainable.has(bn)));

  const context = (training: boolean, dropoutSeed: number | undefined, updates: Map<string, tf.Tensor>, constantInput?: tf.Tensor) =>
    new ForwardContext({
      constantInput,
      parameters,
      buffers,
      training,
      batchStatModules: training ? trainableBatchNorms : new Set(),
      dropout: training ? options.dropout : 0,
      dropoutSeed,
      batchNormUpdates: updates,
    });

  return {
    arch: options.arch,
    numClasses: options.numClasses,
    parameters,
    buffers,
    trainableNames,
    frozenPrefixId: boundary === 0 ? null : `${options.arch}:before:${arch.stages[boundary].name}`,
    forwardPrefix(x: tf.Tensor4D): tf.Tensor {
      if (prefixStages.length === 0) return x.clone();
      return tf.tidy(() => {
        const c = context(false, undefined, new Map());
        return prefixStages.reduce<tf.Tensor>((h, stage) => stage.run(c, h), x);
      });
    },
    forwardSuffix(prefixOutput: tf.Tensor, forward: ForwardOptions): ForwardResult {
      const updates = new Map<string, tf.Tensor>();
      try {
        const logits = tf.tidy(() => {
          const c = context(forward.training, forward.dropoutSeed, updates, prefixOutput);
          return suffixStages.reduce<tf.Tensor>((h, stage) => stage.run(c, h), prefixOutput) as tf.Tensor2D;
        });
        return { logits, batchNormUpdates: updates };
      } catch (error) {
        tf.dispose([...updates.values()]);
        throw error;
      }
    },
    dispose(): void {
      tf.dispose([...parameters.values(), ...buffers.values()]);
    },
  };
}
