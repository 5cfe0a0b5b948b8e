/**
 * torchvision's initialisation, drawn from a seed: each tensor's stream is
 * deriveSeed(seed, name), so values do not depend on creation order.
 *   ResNet convs: kaiming_normal_(mode='fan_out', nonlinearity='relu')
 *   SqueezeNet convs: kaiming_uniform_ (gain sqrt(2), fan_in), classifier normal(0, 0.01)
 *   Linear: PyTorch's default U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias
 *   BatchNorm: weight 1, bias 0, running mean 0, running var 1
 */
import { deriveSeed, Random } from '../random.js';
import type { ParamSpec } from './architecture.js';

export function initialValues(spec: ParamSpec, seed: number): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const random = new Random(deriveSeed(seed, 'init', spec.name));
  switch (spec.init) {
    case 'ones':
      return out.fill(1);
    case 'zeros':
      return out;
    case 'kaiming-normal-fan-out':
      return fillNormal(out, random, Math.sqrt(2 / spec.fanOut));
    case 'normal-0.01':
      return fillNormal(out, random, 0.01);
    case 'kaiming-uniform': {
      const bound = Math.sqrt(2) * Math.sqrt(3 / spec.fanIn);
      return out.map(() => random.uniform(-bound, bound));
    }
    case 'linear-default': {
      const bound = 1 / Math.sqrt(spec.fanIn);
      return out.map(() => random.uniform(-bound, bound));
    }
  }
}

function fillNormal(out: Float32Array, random: Random, std: number): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    // Box-Muller: two normals per pair of uniforms.
    const u = 1 - random.next();
    const v = random.next();
    const r = std * Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
