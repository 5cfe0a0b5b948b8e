/** Short human words for values and JSON Schema types, used in messages. */

const YAML_11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n']);

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

export function describeTypes(types: unknown): string {
  const list = (Array.isArray(types) ? types : [types]).map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

/** The JSON Schema type names a value satisfies. */
export function jsonTypes(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

/** A hint when YAML 1.1 habits meet the 1.2 core schema (`no` is a string there). */
export function yamlBooleanHint(value: unknown, expected: unknown): string {
  const wantsBoolean = (Array.isArray(expected) ? expected : [expected]).includes('boolean');
  return wantsBoolean && typeof value === 'string' && YAML_11_BOOLEANS.has(value.toLowerCase())
    ? ' (YAML 1.2 reads yes/no/on/off as strings: write true or false)'
    : '';
}
