import { PARAMETERS_OF_TYPE } from '../expand/type-parameters.js';
import { layersOf, leafWrites } from './layers.js';
import { report, type StudyRule } from './rule.js';

/** `{type: adam, momentum: 0.9}`: a parameter written in the same layer as a type that does not have it. */
export const paramNotInType: StudyRule = {
  name: 'param-not-in-type',
  check(study) {
    const out = [];
    for (const layer of layersOf(study)) {
      const writes = leafWrites(layer);
      for (const group of ['optimizer', 'schedule'] as const) {
        const type = writes.find((w) => w.path.length === 2 && w.path[0] === group && w.path[1] === 'type');
        if (!type) continue;
        const allowed = PARAMETERS_OF_TYPE[group][String(type.value)] ?? [];
        for (const w of writes) {
          if (w.path[0] !== group || w.path.length !== 2 || w.path[1] === 'type' || allowed.includes(w.path[1])) continue;
          const owners = Object.entries(PARAMETERS_OF_TYPE[group]).filter(([, params]) => params.includes(w.path[1])).map(([t]) => t);
          out.push(report(w.origin, 'PARAM_NOT_IN_TYPE', `${group}.${w.path[1]}: ${group} type ${String(type.value)} has no parameter ${w.path[1]} (${owners.join(', ')} ${owners.length === 1 ? 'has' : 'have'} it)`));
        }
      }
    }
    return out;
  },
};
