import type { Origin } from '../diagnostics/diagnostic.js';
import { isPlainObject } from '../normalize/flatten-bundle.js';
import type { JsonValue } from '../types/spec-input.js';
import type { Assignment } from '../types/study.js';
import { PARAMETERS_OF_TYPE } from './type-parameters.js';

/** A partly resolved config: plain JSON, never mutated (updates copy the path they change). */
export type ConfigState = { readonly [key: string]: JsonValue };

/** Which layer last wrote each path (dotted), for pointing a resolved-run error at its source. */
export type Provenance = Map<string, { readonly origin: Origin; readonly order: number }>;

/** The built-in defaults that do not depend on a type or on the file system (see finalize-config.ts for the rest). */
export const BUILT_IN: ConfigState = {
  data: { train: 'train', validation: { fraction: 0.15, stratify: true }, image_size: 224, batch_size: 32, eval_batch_size: 32, on_bad_image: 'error' },
  model: { arch: 'resnet18', pretrained: 'none', trainable_layers: 'all', dropout: 0 },
  augment: false,
  optimizer: { type: 'sgd', lr: 0.01 },
  schedule: { type: 'constant' },
  loss: { class_weights: 'none', label_smoothing: 0 },
  epochs: 10,
  select: 'val_accuracy',
  early_stopping: false,
  seed: 0,
};

/**
 * Apply one assignment: objects merge deeply, lists and scalars replace, an
 * object replaces a non-object (`augment: false` -> `{...}`) and back.
 * A changed optimizer or schedule `type` drops the parameters the new type
 * lacks; a validation `dir` and a `fraction` replace each other.
 */
export function applyAssignment(state: ConfigState, a: Assignment, provenance?: Provenance): ConfigState {
  const key = a.path[0];
  const next = a.path.length === 0 ? setIn(state, a.path, a.value) : { ...state, [key]: sectionAfter(state[key], a) };
  if (provenance) provenance.set(a.path.join('.'), { origin: a.origin, order: provenance.size + 1 });
  return fixKinds(state, next);
}

function setIn(object: ConfigState, path: readonly string[], value: JsonValue): ConfigState {
  const [key, ...rest] = path;
  const current = object[key];
  if (rest.length === 0) return { ...object, [key]: merge(current, value) };
  const base = isPlainObject(current) ? current : {};
  return { ...object, [key]: setIn(base, rest, value) };
}

/**
 * Sections written by an assignment, by the section they were written onto
 * (or by nothing, when that was not an object: the result is the same).
 * Sections are never mutated, so applying the same assignment to the same
 * section can give back the same object: a grid's last axis then yields a
 * few shared sections instead of a new one per run, and everything keyed by
 * section identity (finalising, checks, run ids) is done once per section.
 */
const written = new WeakMap<object, WeakMap<Assignment, JsonValue>>();
const writtenOnNothing = new WeakMap<Assignment, JsonValue>();
const TYPED_GROUPS = ['optimizer', 'schedule'] as const;

function sectionAfter(current: JsonValue | undefined, a: Assignment): JsonValue {
  const byAssignment = isPlainObject(current) ? written.get(current) : writtenOnNothing;
  let out = byAssignment?.get(a);
  if (out !== undefined) return out;
  out = a.path.length === 1 ? merge(current, a.value) : setIn(isPlainObject(current) ? current : {}, a.path.slice(1), a.value);
  if (byAssignment) byAssignment.set(a, out);
  else written.set(current as object, new WeakMap([[a, out]]));
  return out;
}

function merge(current: JsonValue | undefined, value: JsonValue): JsonValue {
  if (!isPlainObject(value)) return value;
  const out: Record<string, JsonValue> = isPlainObject(current) ? { ...current } : {};
  for (const [key, child] of Object.entries(value)) out[key] = merge(out[key], child);
  return out;
}

function fixKinds(before: ConfigState, after: ConfigState): ConfigState {
  let out = after;
  for (const group of TYPED_GROUPS) {
    const was = before[group] as ConfigState | undefined;
    const now = out[group] as ConfigState | undefined;
    if (!isPlainObject(now) || was?.type === now.type || typeof now.type !== 'string') continue;
    const keep = PARAMETERS_OF_TYPE[group][now.type] ?? [];
    const kept = Object.fromEntries(Object.entries(now).filter(([key]) => key === 'type' || keep.includes(key) || !(key in (was ?? {}))));
    out = { ...out, [group]: kept };
  }
  const data = out.data as ConfigState | undefined;
  const validation = data?.validation as ConfigState | undefined;
  const previous = (before.data as ConfigState | undefined)?.validation as ConfigState | undefined;
  if (isPlainObject(validation) && 'dir' in validation && ('fraction' in validation || 'stratify' in validation) && validation !== previous) {
    const wroteDir = validation.dir !== previous?.dir;
    const fixed = wroteDir ? { dir: validation.dir } : Object.fromEntries(Object.entries(validation).filter(([key]) => key !== 'dir'));
    out = { ...out, data: { ...data, validation: fixed } };
  }
  return out;
}

/** The origin of the layer that last wrote a path or one of its parents (else one of its children). */
export function originOf(provenance: Provenance, path: readonly string[]): Origin | undefined {
  let best: { origin: Origin; order: number } | undefined;
  for (let i = path.length; i > 0; i--) {
    const hit = provenance.get(path.slice(0, i).join('.'));
    if (hit && (!best || hit.order > best.order)) best = hit;
  }
  if (best) return best.origin;
  const prefix = `${path.join('.')}.`;
  for (const [key, hit] of provenance) if (key.startsWith(prefix) && (!best || hit.order > best.order)) best = hit;
  return best?.origin;
}
