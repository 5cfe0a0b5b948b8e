import fc from 'fast-check';

/**
 * Settings a generated study may vary, with values always valid for them.
 * Not seed: a seed axis with repeats makes equal configs (seed 0 repeat 2 = seed 1), which the plan shares.
 */
export const SETTINGS: Readonly<Record<string, fc.Arbitrary<number>>> = {
  'optimizer.lr': fc.double({ min: 1e-5, max: 1, noNaN: true, noDefaultInfinity: true }),
  'model.dropout': fc.double({ min: 0, max: 0.9, noNaN: true, noDefaultInfinity: true }),
  epochs: fc.integer({ min: 1, max: 100 }),
  'data.batch_size': fc.integer({ min: 1, max: 512 }),
  'data.image_size': fc.integer({ min: 32, max: 512 }),
  'loss.label_smoothing': fc.double({ min: 0, max: 0.9, noNaN: true, noDefaultInfinity: true }),
};

export interface GeneratedExperiment {
  readonly axes: readonly { readonly path: string; readonly values: readonly number[] }[];
  /** Each entry: axis index -> value index. */
  readonly exclude: readonly (readonly [number, number][])[];
  readonly includes: number;
  readonly repeats: number;
}

/**
 * Axes are sorted by path so that settings under one parent are adjacent:
 * then the nested form (`data: { batch_size: [...], image_size: [...] }`)
 * lists the axes in the same order as the dotted one, and the plans must be
 * identical.
 */
export const experimentArbitrary: fc.Arbitrary<GeneratedExperiment> = fc
  .shuffledSubarray(Object.keys(SETTINGS), { minLength: 1, maxLength: 3 })
  .map((paths) => [...paths].sort())
  .chain((paths) =>
    fc.record({
      axes: fc.tuple(
        ...paths.map((path) =>
          fc.uniqueArray(SETTINGS[path], { minLength: 1, maxLength: 4, selector: (v) => JSON.stringify(v) }).map((values) => ({ path, values })),
        ),
      ),
      exclude: fc.array(fc.array(fc.tuple(fc.nat(paths.length - 1), fc.nat(3)), { minLength: 1, maxLength: 2 }), { maxLength: 3 }),
      includes: fc.nat(2),
      repeats: fc.integer({ min: 1, max: 3 }),
    }),
  )
  .map((g) => ({
    ...g,
    // Keep exclude entries that name existing values, one value per axis.
    exclude: g.exclude
      .map((entry) => [...new Map(entry.filter(([axis, value]) => value < g.axes[axis].values.length)).entries()])
      .filter((entry) => entry.length > 0),
  }));

/** The spec as plain data; `nested` writes axes and bundles as nested objects instead of dotted keys. */
export function specObject(g: GeneratedExperiment, nested: boolean): Record<string, unknown> {
  const put = (target: Record<string, unknown>, path: string, value: unknown) => {
    if (!nested) return void (target[path] = value);
    const keys = path.split('.');
    let node = target;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = value;
  };
  const matrix: Record<string, unknown> = {};
  for (const axis of g.axes) put(matrix, axis.path, axis.values);
  const defaults: Record<string, unknown> = {};
  put(defaults, 'optimizer.momentum', 0.5);
  put(defaults, 'model.arch', 'resnet34');
  const experiment: Record<string, unknown> = { defaults, matrix, repeats: g.repeats };
  if (g.exclude.length) {
    experiment.exclude = g.exclude.map((entry) => Object.fromEntries(entry.map(([axis, value]) => [g.axes[axis].path, g.axes[axis].values[value]])));
  }
  if (g.includes) {
    experiment.include = Array.from({ length: g.includes }, (_, i) => ({ name: `extra-${i}`, set: { 'data.eval_batch_size': 1000 + i } }));
  }
  return { version: 1, name: 'generated', data: { root: 'images' }, experiments: { generated: experiment } };
}

/** Brute force: (combinations not matching any exclude entry + includes) * repeats. */
export function expectedCount(g: GeneratedExperiment): number {
  let combos: number[][] = [[]];
  for (const axis of g.axes) combos = combos.flatMap((combo) => axis.values.map((_, i) => [...combo, i]));
  const kept = combos.filter((combo) => !g.exclude.some((entry) => entry.every(([axis, value]) => combo[axis] === value)));
  return (kept.length + g.includes) * g.repeats;
}
