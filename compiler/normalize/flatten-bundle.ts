import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { originAt, type NodeLocator, type YamlPath } from '../parse/yaml-nodes.js';
import { CONFIG_PATCH_SCHEMA } from '../schema/config-schema.js';
import { configPaths } from '../schema/dotted-paths.js';
import type { JsonValue } from '../types/spec-input.js';
import type { Assignment } from '../types/study.js';
import { isPathSetting, rebase } from './spec-paths.js';

/** Config paths that hold objects (their keys merge deeply): data, model, augment.random_resized_crop, ... */
const OBJECT_PATHS: ReadonlySet<string> = new Set(
  configPaths(CONFIG_PATCH_SCHEMA).flatMap(({ path }) => path.slice(0, -1).map((_, i) => path.slice(0, i + 1).join('.'))),
);

export function isObjectPath(path: readonly string[]): boolean {
  return OBJECT_PATHS.has(path.join('.'));
}

export function isPlainObject(value: unknown): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface FlattenOptions {
  readonly locator: NodeLocator;
  /** Where the bundle is in its file. */
  readonly yamlPath: YamlPath;
  /** Config path the bundle's keys are under (['data'] for the data block). */
  readonly prefix?: readonly string[];
  /** Words for diagnostics: `defaults of experiment lr`. */
  readonly what: string;
  /** Folder of the top spec: path settings are rewritten relative to it. */
  readonly specDir: string;
}

/**
 * A bundle as leaf assignments: dotted keys split, nested objects walked, so
 * `model.arch: x` and `model: {arch: x}` give the same assignment. A setting
 * written twice in one bundle (in either form) is an error.
 */
export function flattenBundle(bundle: { readonly [key: string]: JsonValue }, options: FlattenOptions): { assignments: Assignment[]; diagnostics: Diagnostic[] } {
  const assignments: Assignment[] = [];
  const walk = (object: { readonly [key: string]: JsonValue }, prefix: readonly string[], yamlPath: YamlPath) => {
    for (const [key, value] of Object.entries(object)) {
      const path = [...prefix, ...key.split('.')];
      const here = [...yamlPath, key];
      if (isPlainObject(value) && Object.keys(value).length > 0 && isObjectPath(path)) {
        walk(value, path, here);
      } else {
        assignments.push(assignment(path, value, here, options));
      }
    }
  };
  walk(bundle, options.prefix ?? [], options.yamlPath);
  return { assignments, diagnostics: findDuplicates(assignments) };
}

export function assignment(path: readonly string[], value: JsonValue, yamlPath: YamlPath, options: FlattenOptions): Assignment {
  const origin = originAt(options.locator, yamlPath, options.what);
  const rewritten = isPathSetting(path, value) ? rebase(value, options.locator.file, options.specDir) : value;
  return { path, value: rewritten, origin };
}

function findDuplicates(assignments: readonly Assignment[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  assignments.forEach((later, j) => {
    const earlier = assignments.slice(0, j).find((a) => isPrefix(a.path, later.path) || isPrefix(later.path, a.path));
    if (!earlier) return;
    const line = earlier.origin.range ? ` (also set at line ${earlier.origin.range.start.line})` : '';
    out.push({
      code: 'DUPLICATE_SETTING',
      severity: 'error',
      message: `${later.path.join('.')} is set twice in one bundle${line}; dotted and nested keys name the same setting`,
      file: later.origin.file,
      path: later.origin.path,
      range: later.origin.range,
    });
  });
  return out;
}

export function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}
