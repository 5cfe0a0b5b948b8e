import { posix } from 'node:path';
import { isPlainObject } from '../normalize/flatten-bundle.js';
import type { RunConfig } from '../types/run-config.js';
import type { ConfigState } from './config-state.js';
import { identityMemo } from './identity-memo.js';
import { PARAMETERS_OF_TYPE, TYPE_DEFAULTS } from './type-parameters.js';

export interface FinalizeOptions {
  /** Folder of the top spec (data.root is relative to it). */
  readonly specDir: string;
  /** Whether a directory exists: the injected probe for the default `data.test`. */
  readonly isDirectory: (path: string) => boolean;
}

type Obj = Record<string, unknown>;
const CROP_DEFAULTS = { scale: [0.08, 1], ratio: [0.75, 1.3333333333333333] };

/**
 * Fill every default the state does not write and lay the config out in the
 * RunConfig field order, so a plan's bytes are stable. Unknown or missing
 * parameters are left as they are for the run schema to report.
 * Each distinct section object is finalised once (sections are interned, see
 * config-state.ts) and shared, so run ids hash and check it once.
 */
export function createFinalizer(options: FinalizeOptions): (state: ConfigState) => RunConfig {
  const section = <T>(build: (written: Obj) => T) => {
    const memo = identityMemo(build);
    return (written: unknown): T | unknown => (isPlainObject(written) ? memo(written as Obj) : written);
  };
  const tests = new Map<unknown, string | null>();
  const testOf = (root: unknown) => {
    let test = tests.get(root);
    if (test === undefined) tests.set(root, (test = defaultTest(root, options)));
    return test;
  };
  const data = section((d) => finalizeData(d, testOf));
  const model = section((m) => pick(m, ['arch', 'pretrained', 'trainable_layers', 'dropout']));
  const augment = section((a) => ({ random_resized_crop: crop(a.random_resized_crop), horizontal_flip: a.horizontal_flip ?? false, rotation: a.rotation ?? 0 }));
  const optimizer = section((o) => typed('optimizer', o));
  const schedule = section((o) => typed('schedule', o));
  const loss = section((l) => pick(l, ['class_weights', 'label_smoothing']));
  const early = section((e) => ({ monitor: e.monitor ?? 'val_loss', patience: e.patience ?? 3 }));
  return (state) =>
    ({
      data: data(state.data),
      model: model(state.model),
      augment: augment(state.augment),
      optimizer: optimizer(state.optimizer),
      schedule: schedule(state.schedule),
      loss: loss(state.loss),
      epochs: state.epochs,
      select: state.select,
      early_stopping: early(state.early_stopping),
      seed: state.seed,
    }) as unknown as RunConfig;
}

/** `testOf(root)`: the default data.test, probed once per root. */
function finalizeData(data: Obj, testOf: (root: unknown) => string | null): Obj {
  const validation = data.validation as Obj;
  return {
    root: data.root,
    train: data.train,
    test: 'test' in data ? data.test : testOf(data.root),
    validation: 'dir' in validation ? { dir: validation.dir } : { fraction: validation.fraction ?? 0.15, stratify: validation.stratify ?? true },
    image_size: data.image_size,
    batch_size: data.batch_size,
    eval_batch_size: data.eval_batch_size,
    on_bad_image: data.on_bad_image,
  };
}

function defaultTest(root: unknown, options: FinalizeOptions): string | null {
  if (typeof root !== 'string') return null;
  const rootPath = posix.isAbsolute(root) ? root : posix.join(options.specDir, root);
  return options.isDirectory(posix.join(rootPath, 'test')) ? 'test' : null;
}

function crop(value: unknown): unknown {
  if (value === undefined || value === false) return false;
  if (value === true) return CROP_DEFAULTS;
  const written = value as Obj;
  return { scale: written.scale ?? CROP_DEFAULTS.scale, ratio: written.ratio ?? CROP_DEFAULTS.ratio };
}

/** Type first, then the type's parameters (defaults filled), then anything else written (an error the run schema reports). */
function typed(group: 'optimizer' | 'schedule', written: Obj): Obj {
  const type = String(written.type);
  const params = PARAMETERS_OF_TYPE[group][type] ?? [];
  const defaults = TYPE_DEFAULTS[group][type] ?? {};
  const out: Obj = { type };
  for (const key of params) {
    const value = key in written ? written[key] : defaults[key];
    if (value !== undefined) out[key] = value;
  }
  for (const key of Object.keys(written)) if (!(key in out)) out[key] = written[key];
  return out;
}

function pick(object: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const key of keys) out[key] = object[key];
  for (const key of Object.keys(object)) if (!(key in out)) out[key] = object[key];
  return out;
}
