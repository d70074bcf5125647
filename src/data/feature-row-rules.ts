import { DatasetSchema, FeatureColumn, FeatureRecord } from './dataset-schema';

export const MAX_CATEGORY_LENGTH = 64;

/**
 * What a valid value of a feature is in a request, worded exactly as class-validator words the
 * decorators the request DTO gets from the same column (src/inference/dto/feature-row-dto.ts):
 * with stopAtFirstError, `is required`, then the type, then the range or the declared categories.
 * One table for the DTO, the batch and fast-path checks, and the schema's example.
 */
export function valueProblem(column: FeatureColumn, value: unknown, declared?: ReadonlySet<string>): string | null {
  const name = column.name;
  if (value === undefined || value === null) return `${name} is required`;
  if (column.type === 'categorical') {
    if (typeof value !== 'string') return `${name} must be a string`;
    if (value.length === 0) return `${name} should not be empty`;
    // validatorStringLength <= length, so only a long string needs the exact count.
    if (value.length > MAX_CATEGORY_LENGTH && validatorStringLength(value) > MAX_CATEGORY_LENGTH) {
      return `${name} must be shorter than or equal to ${MAX_CATEGORY_LENGTH} characters`;
    }
    // `declared`: the compiled rules' Set of the categories (the hot path); else the list.
    if (column.categories && !(declared ? declared.has(value) : column.categories.includes(value))) {
      return `${name} must be one of the following values: ${column.categories.join(', ')}`;
    }
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return column.type === 'integer' ? `${name} must be an integer number` : `${name} must be a number conforming to the specified constraints`;
  }
  if (column.type === 'integer' && !Number.isInteger(value)) return `${name} must be an integer number`;
  if (column.minimum !== undefined && value < column.minimum) return `${name} must not be less than ${column.minimum}`;
  if (column.maximum !== undefined && value > column.maximum) return `${name} must not be greater than ${column.maximum}`;
  return null;
}

/**
 * A string's length as class-validator's @MaxLength counts it (validator.js isLength): a surrogate
 * pair and a character followed by a variation selector each count once.
 */
export function validatorStringLength(value: string): number {
  const presentationSequences = value.match(/[^\uFE0F\uFE0E][\uFE0F\uFE0E]/g)?.length ?? 0;
  const surrogatePairs = value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return value.length - presentationSequences - surrogatePairs;
}

/** The checks of one schema's rows, compiled once: the hot path of /predict and /predict/batch. */
export interface FeatureRowRules {
  /**
   * True when `value` is a plain object holding exactly the schema's features, each valid: the
   * common case, decided without allocating. Anything else is false; `problems` or class-validator
   * then says what is wrong.
   */
  isExact(value: unknown): value is FeatureRecord;
  /**
   * The problems of one row, each prefixed, worded and ordered as Nest's ValidationPipe (whitelist,
   * forbidNonWhitelisted, stopAtFirstError) reports them for the request DTO: unknown properties
   * first, then one problem per field.
   */
  problems(value: unknown, prefix?: string): string[];
  /** A copy holding exactly the features, in schema order (the input may be any object that passed). */
  toRecord(row: Record<string, unknown>): FeatureRecord;
}

export function compileFeatureRowRules(schema: DatasetSchema): FeatureRowRules {
  const columns = schema.features;
  const declared = columns.map((c) => (c.categories ? new Set(c.categories) : undefined));
  const allowed: ReadonlySet<string> = new Set(schema.featureNames);
  const names = schema.featureNames;
  return {
    isExact(value: unknown): value is FeatureRecord {
      if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
      let keys = 0;
      for (const key in value) {
        if (!allowed.has(key)) return false;
        keys++;
      }
      if (keys !== columns.length) return false;
      const row = value as Record<string, unknown>;
      for (let i = 0; i < columns.length; i++) {
        if (valueProblem(columns[i], row[columns[i].name], declared[i]) !== null) return false;
      }
      return true;
    },
    problems(value: unknown, prefix = ''): string[] {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${prefix}must be an object`];
      const row = value as Record<string, unknown>;
      const problems: string[] = [];
      for (const key of Object.keys(row)) {
        if (!allowed.has(key)) problems.push(`${prefix}property ${key} should not exist`);
      }
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i];
        const problem = valueProblem(column, row[column.name], declared[i]);
        if (problem) problems.push(prefix + problem);
      }
      return problems;
    },
    toRecord(row: Record<string, unknown>): FeatureRecord {
      const record: Record<string, number | string> = {};
      for (const name of names) record[name] = row[name] as number | string;
      return record;
    },
  };
}

/** The first problem of a schema's example row, or null. */
export function exampleProblem(schema: DatasetSchema, example: Record<string, unknown>): string | null {
  return compileFeatureRowRules(schema).problems(example)[0] ?? null;
}
