/**
 * torchvision SqueezeNet1.1: ceil-mode max pools, Fire modules
 * (squeeze 1x1 -> [expand1x1, expand3x3] concatenated), and the classifier
 * Dropout(p) -> Conv1x1(classes) -> ReLU -> global average pool.
 */
import { type Architecture, ArchitectureBuilder, type Stage } from './architecture.js';

const FIRES: readonly (readonly [index: number, inChannels: number, squeeze: number, expand: number])[] = [
  [3, 64, 16, 64],
  [4, 128, 16, 64],
  [6, 128, 32, 128],
  [7, 256, 32, 128],
  [9, 256, 48, 192],
  [10, 384, 48, 192],
  [11, 384, 64, 256],
  [12, 512, 64, 256],
];
const POOLS = [2, 5, 8];

export function squeezenet11(numClasses: number): Architecture {
  const b = new ArchitectureBuilder();
  const stages: Stage[] = [];
  b.conv('features.0', 3, 64, 3, { bias: true, init: 'kaiming-uniform' });
  stages.push({ name: 'features.0', modules: ['features.0'], run: (c, x) => c.relu(c.conv('features.0', x, 2, 0)) });
  for (let index = 1; index <= 12; index++) {
    if (POOLS.includes(index)) {
      stages.push({ name: `features.${index}`, modules: [], run: (c, x) => c.maxPool3x3s2Ceil(x) });
      continue;
    }
    const fire = FIRES.find(([i]) => i === index);
    if (!fire) continue;
    const [, inChannels, squeeze, expand] = fire;
    const m = `features.${index}`;
    b.conv(`${m}.squeeze`, inChannels, squeeze, 1, { bias: true, init: 'kaiming-uniform' });
    b.conv(`${m}.expand1x1`, squeeze, expand, 1, { bias: true, init: 'kaiming-uniform' });
    b.conv(`${m}.expand3x3`, squeeze, expand, 3, { bias: true, init: 'kaiming-uniform' });
    stages.push({
      name: m,
      modules: [`${m}.squeeze`, `${m}.expand1x1`, `${m}.expand3x3`],
      run: (c, x) => {
        const s = c.relu(c.conv(`${m}.squeeze`, x, 1, 0));
        return c.concatChannels([c.relu(c.conv(`${m}.expand1x1`, s, 1, 0)), c.relu(c.conv(`${m}.expand3x3`, s, 1, 1))]);
      },
    });
  }
  b.conv('classifier.1', 512, numClasses, 1, { bias: true, init: 'normal-0.01' });
  stages.push({
    name: 'classifier',
    modules: ['classifier.1'],
    run: (c, x) => c.globalAveragePool(c.relu(c.conv('classifier.1', c.dropout(x), 1, 0))),
  });
  return { ...b, head: ['classifier.1'], stages };
}
