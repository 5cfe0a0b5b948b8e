/** A JSON Schema node as plain data; every field schema carries a description for editors. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export function described(description: string, schema: JsonSchema): JsonSchema {
  return { description, ...schema };
}

export function object(description: string, properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return { description, type: 'object', properties, additionalProperties: false, ...extra };
}

export const finiteNumber = (description: string, range: JsonSchema = {}): JsonSchema => ({ description, type: 'number', ...range });
export const integer = (description: string, range: JsonSchema = {}): JsonSchema => ({ description, type: 'integer', ...range });
export const boolean = (description: string): JsonSchema => ({ description, type: 'boolean' });
export const oneOfStrings = (description: string, values: readonly string[]): JsonSchema => ({ description, type: 'string', enum: values });
export const pair = (description: string, item: JsonSchema): JsonSchema => ({
  description,
  type: 'array',
  items: item,
  minItems: 2,
  maxItems: 2,
});
