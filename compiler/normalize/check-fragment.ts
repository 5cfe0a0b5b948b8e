import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { rangeAt, type NodeLocator, type YamlPath } from '../parse/yaml-nodes.js';
import { fragmentValidator, type SchemaFragment } from '../schema/ajv-instance.js';
import { mapAjvErrors, type Segments } from '../validate/map-ajv-errors.js';
import { displaySpecPath } from '../validate/validate-spec.js';

/**
 * Check a value against a `$defs` entry of the spec schema, for values whose
 * place in the schema is only known after classification (axis values are
 * checked as the setting their axis names). `toYaml` maps the instance path
 * to the YAML node; `display` names the setting in messages (default: its
 * path in the file, or inside a bundle).
 */
export function checkFragment(
  fragment: SchemaFragment,
  data: unknown,
  locator: NodeLocator,
  toYaml: (segments: Segments, key: boolean) => YamlPath,
  display: (segments: Segments) => string = (segments) => displaySpecPath(toYaml(segments, false)),
): Diagnostic[] {
  const validate = fragmentValidator(fragment);
  if (validate(data)) return [];
  return mapAjvErrors(validate.errors ?? [], {
    locate: (segments, { key }) => {
      const path = toYaml(segments, key);
      return { file: locator.file, path, range: rangeAt(locator, path, { key }) };
    },
    display,
  });
}
