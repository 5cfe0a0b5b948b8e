import { suggestionSuffix } from '../diagnostics/did-you-mean.js';
import { canonicalJson } from '../plan/canonical-json.js';
import { axisValues } from '../expand/axis-choices.js';
import { report, type StudyRule } from './rule.js';

/** An exclude entry must name axes of its experiment and values (or variant names) on them, else it silently drops nothing. */
export const excludeNamesAxes: StudyRule = {
  name: 'exclude-names-axes',
  check: (study) =>
    study.experiments.flatMap((experiment) => {
      const byLabel = new Map(experiment.axes.map((axis) => [axis.label, axis]));
      const labels = [...byLabel.keys()];
      return experiment.exclude.flat().flatMap((match) => {
        const axis = byLabel.get(match.label);
        if (!axis) {
          return [report(match.keyOrigin, 'EXCLUDE_UNKNOWN_AXIS', `exclude names axis ${match.label}, which experiment ${experiment.name} does not have${suggestionSuffix(match.label, labels)}`)];
        }
        const values = axisValues(axis);
        if (values === undefined || values.includes(canonicalJson(match.value))) return [];
        const shown = values.map((v) => (axis.kind === 'variants' ? JSON.parse(v) : v)).join(', ');
        const suggestion = typeof match.value === 'string' && axis.kind === 'variants' ? suggestionSuffix(match.value, values.map((v) => JSON.parse(v) as string)) : '';
        return [report(match.valueOrigin, 'EXCLUDE_UNKNOWN_VALUE', `exclude value ${canonicalJson(match.value)} is not on axis ${match.label} (${shown})${suggestion}`)];
      });
    }),
};
