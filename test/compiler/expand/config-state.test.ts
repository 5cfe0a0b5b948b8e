import { describe, expect, it } from 'vitest';
import type { Origin } from '../../../compiler/diagnostics/diagnostic.js';
import { applyAssignment, BUILT_IN, originOf, type ConfigState, type Provenance } from '../../../compiler/expand/config-state.js';
import type { JsonValue } from '../../../compiler/types/spec-input.js';

const origin = (what: string): Origin => ({ file: 'spec.yaml', path: [], range: null, what });
const apply = (state: ConfigState, path: string, value: JsonValue, provenance?: Provenance) =>
  applyAssignment(state, { path: path.split('.'), value, origin: origin(path) }, provenance);

describe('applyAssignment', () => {
  it('merges objects deeply and replaces lists and scalars', () => {
    let state = apply(BUILT_IN, 'optimizer', { type: 'adam', betas: [0.8, 0.9] });
    state = apply(state, 'optimizer.betas', [0.7, 0.8]);
    expect(state.optimizer).toEqual({ type: 'adam', lr: 0.01, betas: [0.7, 0.8] });
  });

  it('drops the parameters a new optimizer or schedule type lacks, keeps the shared ones', () => {
    let state = apply(BUILT_IN, 'optimizer', { type: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 1e-4 });
    state = apply(state, 'optimizer.type', 'adamw');
    expect(state.optimizer).toEqual({ type: 'adamw', lr: 0.05, weight_decay: 1e-4 });
    state = apply(apply(state, 'schedule', { type: 'step', step_size: 3, gamma: 0.5 }), 'schedule', { type: 'cosine', start_lr: 1, end_lr: 0.1 });
    expect(state.schedule).toEqual({ type: 'cosine', start_lr: 1, end_lr: 0.1 });
  });

  it('lets augment false and an augment object replace each other, and a validation dir replace a fraction', () => {
    let state = apply(BUILT_IN, 'augment.horizontal_flip', true);
    expect(state.augment).toEqual({ horizontal_flip: true });
    expect(apply(state, 'augment', false).augment).toBe(false);
    state = apply(BUILT_IN, 'data.validation.dir', 'valid');
    expect((state.data as { validation: unknown }).validation).toEqual({ dir: 'valid' });
    state = apply(state, 'data.validation.fraction', 0.3);
    expect((state.data as { validation: unknown }).validation).toEqual({ fraction: 0.3 }); // finalize fills stratify: true
  });

  it('never changes the state it is given, and shares what it does not touch', () => {
    const next = apply(BUILT_IN, 'model.dropout', 0.5);
    expect((BUILT_IN.model as { dropout: number }).dropout).toBe(0);
    expect(next.data).toBe(BUILT_IN.data);
  });

  it('remembers which layer wrote a path (the latest one, or a parent)', () => {
    const provenance: Provenance = new Map();
    let state = apply(BUILT_IN, 'optimizer.momentum', 0.9, provenance);
    state = apply(state, 'optimizer', { lr: 0.1 }, provenance);
    expect(originOf(provenance, ['optimizer', 'momentum'])?.what).toBe('optimizer');
    expect(originOf(provenance, ['schedule'])).toBeUndefined();
    void state;
  });
});
