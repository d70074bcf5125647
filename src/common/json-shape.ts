/**
 * Small readers for JSON read from disk: each checks one value's shape and throws a message that
 * names where in the document it went wrong (`scaler.mean.age must be a finite number`).
 */
export class ShapeError extends Error {}

type Json = unknown;

export function readObject(value: Json, at: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShapeError(`${at} must be an object`);
  }
  return value as Record<string, Json>;
}

export function readNumber(value: Json, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError(`${at} must be a finite number`);
  return value;
}

export function readInteger(value: Json, at: string, min = 0): number {
  const n = readNumber(value, at);
  if (!Number.isInteger(n) || n < min) throw new ShapeError(`${at} must be an integer >= ${min}`);
  return n;
}

export function readString(value: Json, at: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ShapeError(`${at} must be a non-empty string`);
  return value;
}

export function readArray(value: Json, at: string): Json[] {
  if (!Array.isArray(value)) throw new ShapeError(`${at} must be an array`);
  return value;
}

export function readStringArray(value: Json, at: string): string[] {
  return readArray(value, at).map((v, i) => readString(v, `${at}[${i}]`));
}

export function readNumberArray(value: Json, at: string): number[] {
  return readArray(value, at).map((v, i) => readNumber(v, `${at}[${i}]`));
}

export function readIntegerArray(value: Json, at: string): number[] {
  return readArray(value, at).map((v, i) => readInteger(v, `${at}[${i}]`));
}

/** Reads a {name: number} map that must hold exactly the given names. */
export function readNumberMap(value: Json, at: string, names: readonly string[]): Record<string, number> {
  const obj = readObject(value, at);
  const out: Record<string, number> = {};
  for (const name of names) out[name] = readNumber(obj[name], `${at}.${name}`);
  return out;
}

export function expectSameList(actual: readonly string[], expected: readonly string[], at: string): void {
  if (actual.length !== expected.length || actual.some((v, i) => v !== expected[i])) {
    throw new ShapeError(`${at} must be [${expected.join(', ')}]`);
  }
}
