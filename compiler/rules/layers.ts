import { isPlainObject } from '../normalize/flatten-bundle.js';
import type { Assignment, ExperimentStudy } from '../types/study.js';

/**
 * The layers of a study: the assignments written together (one bundle, one
 * variant, one include, one axis value). Rules about what one layer may say
 * (a type and a parameter it lacks) check each layer on its own.
 */
export function layersOf(study: ExperimentStudy): Assignment[][] {
  const layers: Assignment[][] = [...groupByBundle(study.base)];
  for (const experiment of study.experiments) {
    layers.push([...experiment.defaults]);
    for (const axis of experiment.axes) {
      if (axis.kind === 'values') layers.push(...axis.values.map((value) => [value]));
      if (axis.kind === 'variants') layers.push(...axis.variants.map((variant) => [...variant.assignments]));
    }
    layers.push(...experiment.include.map((entry) => [...entry.assignments]));
  }
  return layers;
}

function groupByBundle(assignments: readonly Assignment[]): Assignment[][] {
  const groups = new Map<string, Assignment[]>();
  for (const a of assignments) {
    const key = `${a.origin.file}\u0000${a.origin.what}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()];
}

/** A layer's writes down to leaves: object values (an axis of whole `optimizer` objects) are opened up. */
export function leafWrites(layer: readonly Assignment[]): Assignment[] {
  const out: Assignment[] = [];
  const open = (a: Assignment) => {
    if (isPlainObject(a.value)) {
      for (const [key, value] of Object.entries(a.value)) open({ path: [...a.path, key], value, origin: a.origin });
    } else {
      out.push(a);
    }
  };
  layer.forEach(open);
  return out;
}
