import type { JsonSchema } from './json-schema.js';

/** A settable config path and the JSON pointer of its schema inside CONFIG_PATCH_SCHEMA. */
export interface ConfigPath {
  readonly path: readonly string[];
  readonly pointer: string;
}

/**
 * Every path a spec may set, nested objects included (`model`, `model.arch`,
 * `augment.random_resized_crop.scale`): dotted keys and axes are checked
 * against this list, and the bundle schema lists each dotted form.
 */
export function configPaths(schema: JsonSchema, pointer = '', prefix: readonly string[] = []): ConfigPath[] {
  const out: ConfigPath[] = [];
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties) {
    for (const [key, child] of Object.entries(properties)) {
      const childPointer = `${pointer}/properties/${key}`;
      const path = [...prefix, key];
      out.push({ path, pointer: childPointer });
      out.push(...configPaths(child, childPointer, path));
    }
  }
  const anyOf = schema.anyOf as JsonSchema[] | undefined;
  anyOf?.forEach((branch, i) => out.push(...configPaths(branch, `${pointer}/anyOf/${i}`, prefix)));
  return out;
}
