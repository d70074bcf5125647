import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * Small builders for the OpenAPI response schemas of reports whose shapes are TypeScript interfaces
 * of the pure code (drift, performance, the registry's state ...): writing them as decorated DTO
 * classes would copy every interface a second time. test/openapi-responses.e2e-spec.ts validates
 * real responses against what these build, so a field added to a report without its schema fails.
 */
export type Schema = SchemaObject;

export const number = (description?: string): Schema => ({ type: 'number', ...(description ? { description } : {}) });
export const integer = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
export const string = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) });
export const boolean = (description?: string): Schema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const dateTime = (description?: string): Schema => ({ ...string(description), format: 'date-time' });

export function oneOfStrings(values: readonly string[], description?: string): Schema {
  return { ...string(description), enum: [...values] };
}

export function nullable(schema: Schema): Schema {
  return { ...schema, nullable: true };
}

export function arrayOf(items: Schema, description?: string): Schema {
  return { type: 'array', items, ...(description ? { description } : {}) };
}

/** A closed object: every property is required unless named in `optional`, no others may appear. */
export function object(properties: Record<string, Schema>, options: { optional?: readonly string[]; description?: string } = {}): Schema {
  const optional = new Set(options.optional ?? []);
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((name) => !optional.has(name)),
    additionalProperties: false,
    ...(options.description ? { description: options.description } : {}),
  };
}

/** An object whose keys are data (feature names, labels) or whose details are open by design. */
export function openObject(description: string, values?: Schema): Schema {
  return { type: 'object', description, additionalProperties: values ?? true };
}

/** The same numbers under each name (e.g. metrics): a closed object of numbers. */
export function numbersNamed(names: readonly string[], options: { nullable?: boolean; description?: string } = {}): Schema {
  const value = options.nullable ? nullable(number()) : number();
  return object(Object.fromEntries(names.map((name) => [name, value])), { description: options.description });
}
