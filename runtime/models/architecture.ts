/**
 * An architecture as data: its tensors in torchvision state_dict order and its
 * forward pass as a list of stages (the units the network can be split at).
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { ForwardContext } from './forward-context.js';

export type ParamKind = 'conv-weight' | 'conv-bias' | 'bn-weight' | 'bn-bias' | 'linear-weight' | 'linear-bias';
export type BufferKind = 'running_mean' | 'running_var';

export interface ParamSpec {
  /** torchvision state_dict key. */
  readonly name: string;
  readonly kind: ParamKind;
  /** tfjs layout: conv [kh, kw, in, out], linear [in, out], vectors [n]. */
  readonly shape: readonly number[];
  /** The module the tensor belongs to (e.g. `layer1.0.conv1`). */
  readonly module: string;
  /** How torchvision initialises it. */
  readonly init: 'kaiming-normal-fan-out' | 'kaiming-uniform' | 'normal-0.01' | 'zeros' | 'ones' | 'linear-default';
  /** Fan-in of the module (for linear-default and kaiming-uniform). */
  readonly fanIn: number;
  readonly fanOut: number;
}

export interface BufferSpec {
  readonly name: string;
  readonly kind: BufferKind;
  readonly shape: readonly number[];
  readonly module: string;
}

export interface Stage {
  /** Name of the stage's first module, e.g. `layer3.1`, `features.6`, `fc`. */
  readonly name: string;
  /** Modules whose parameters the stage uses. */
  readonly modules: readonly string[];
  run(context: ForwardContext, x: tfc.Tensor): tfc.Tensor;
}

export interface Architecture {
  readonly params: readonly ParamSpec[];
  readonly buffers: readonly BufferSpec[];
  /** Conv2d modules in torchvision module order (`model.named_modules()`). */
  readonly convs: readonly string[];
  /** The BatchNorm module that follows each conv, where there is one. */
  readonly batchNormOf: ReadonlyMap<string, string>;
  /** Modules of the new classifier head: they always train. */
  readonly head: readonly string[];
  readonly stages: readonly Stage[];
}

/** Collects tensors in registration (= state_dict) order. */
export class ArchitectureBuilder {
  readonly params: ParamSpec[] = [];
  readonly buffers: BufferSpec[] = [];
  readonly convs: string[] = [];
  readonly batchNormOf = new Map<string, string>();

  conv(module: string, inChannels: number, outChannels: number, kernel: number, options: { bias?: boolean; init?: ParamSpec['init'] } = {}): void {
    const fanIn = inChannels * kernel * kernel;
    const fanOut = outChannels * kernel * kernel;
    const init = options.init ?? 'kaiming-normal-fan-out';
    this.params.push({ name: `${module}.weight`, kind: 'conv-weight', shape: [kernel, kernel, inChannels, outChannels], module, init, fanIn, fanOut });
    if (options.bias) this.params.push({ name: `${module}.bias`, kind: 'conv-bias', shape: [outChannels], module, init: 'zeros', fanIn, fanOut });
    this.convs.push(module);
  }

  batchNorm(module: string, channels: number, afterConv: string): void {
    const common = { shape: [channels], module, fanIn: channels, fanOut: channels };
    this.params.push({ name: `${module}.weight`, kind: 'bn-weight', init: 'ones', ...common });
    this.params.push({ name: `${module}.bias`, kind: 'bn-bias', init: 'zeros', ...common });
    this.buffers.push({ name: `${module}.running_mean`, kind: 'running_mean', shape: [channels], module });
    this.buffers.push({ name: `${module}.running_var`, kind: 'running_var', shape: [channels], module });
    this.batchNormOf.set(afterConv, module);
  }

  linear(module: string, inFeatures: number, outFeatures: number): void {
    const common = { module, fanIn: inFeatures, fanOut: outFeatures, init: 'linear-default' as const };
    this.params.push({ name: `${module}.weight`, kind: 'linear-weight', shape: [inFeatures, outFeatures], ...common });
    this.params.push({ name: `${module}.bias`, kind: 'linear-bias', shape: [outFeatures], ...common });
  }
}
