import { report, type StudyRule } from './rule.js';

/** The study needs a name (the top file or a file it extends writes it). */
export const studyName: StudyRule = {
  name: 'study-name',
  check: (study) => (study.name === undefined ? [report(study.origin, 'MISSING_NAME', 'the study needs a name: add `name: my-study`')] : []),
};
