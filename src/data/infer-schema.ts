import { SchemaColumnJson, SchemaFileJson } from './dataset-schema';
import { MAX_CATEGORY_LENGTH } from './feature-row-rules';
import { IDENTIFIER } from './schema-file';

/** What `schema` is asked to infer. */
export interface InferenceRequest {
  name: string;
  separator: string;
  /** The target's CSV header. */
  target: string;
  positive: string;
  /** CSV headers to give role "dropped". */
  drop: readonly string[];
}

/** A draft schema and, per column, why it got its role and type (the summary the command prints). */
export interface InferredSchema {
  schema: SchemaFileJson;
  notes: Record<string, string>;
}

export class SchemaInferenceError extends Error {}

/** A category column with more distinct values than this is free text or an identifier, not a feature. */
export const MAX_INFERRED_CATEGORIES = 100;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A header as a valid identifier: other characters become `_`, a leading digit gets a `_` before it. */
export function identifierFor(header: string, taken: ReadonlySet<string>): string {
  let name = header.trim().replace(/[^A-Za-z0-9_]/g, '_').slice(0, 60) || 'column';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  let unique = name;
  for (let k = 2; taken.has(unique); k++) unique = `${name}_${k}`;
  return unique;
}

/** Numbers with a margin of a tenth of their spread (at least 1 for integers), rounded outward. */
function rangeWithMargin(min: number, max: number, integer: boolean): { minimum: number; maximum: number } {
  const spread = max - min || Math.abs(max) || 1;
  const margin = spread * 0.1;
  if (integer) return { minimum: Math.floor(min - Math.max(1, margin)), maximum: Math.ceil(max + Math.max(1, margin)) };
  const digits = Math.max(0, 2 - Math.floor(Math.log10(margin)));
  const factor = 10 ** Math.min(digits, 10);
  return { minimum: Math.floor((min - margin) * factor) / factor, maximum: Math.ceil((max + margin) * factor) / factor };
}

/**
 * Infers a draft schema from a CSV's header and rows (cells as text): numeric when every value is a
 * number (integer when every one is whole), else categorical with its values as categories; a
 * column with empty cells, free text or an identifier's unique values is dropped (or `id`), a column
 * of ISO dates is the `time`. Names that are not identifiers are renamed (csv_name keeps the header).
 */
export function inferSchema(header: readonly string[], rows: readonly (readonly string[])[], request: InferenceRequest): InferredSchema {
  const targetAt = header.indexOf(request.target);
  if (targetAt < 0) throw new SchemaInferenceError(`--target '${request.target}' is not a column (columns: ${header.join(', ')})`);
  for (const dropped of request.drop) {
    if (!header.includes(dropped)) throw new SchemaInferenceError(`--drop '${dropped}' is not a column`);
  }
  if (rows.length === 0) throw new SchemaInferenceError('the file has a header but no data rows');
  const targetValues = [...new Set(rows.map((r) => r[targetAt].trim()))];
  if (!targetValues.includes(request.positive)) {
    throw new SchemaInferenceError(
      `--positive '${request.positive}' is not a value of '${request.target}' (values: ${targetValues.slice(0, 10).join(', ')})`,
    );
  }
  if (targetValues.length !== 2) {
    throw new SchemaInferenceError(`'${request.target}' has ${targetValues.length} distinct values: the target must have exactly two`);
  }
  const taken = new Set<string>();
  const notes: Record<string, string> = {};
  let hasId = false;
  let hasTime = false;
  const columns = header.map((csvName, j): SchemaColumnJson => {
    const name = IDENTIFIER.test(csvName) && !taken.has(csvName) ? csvName : identifierFor(csvName, taken);
    taken.add(name);
    const renamed = name !== csvName ? { csv_name: csvName } : {};
    const note = (text: string) => (notes[name] = text);
    if (j === targetAt) {
      const negative = targetValues.find((v) => v !== request.positive)!;
      note(`target: positive '${request.positive}', negative '${negative}'`);
      return { name, ...renamed, role: 'target', type: 'categorical', categories: [negative, request.positive] };
    }
    if (request.drop.includes(csvName)) {
      note('dropped (--drop)');
      return { name, ...renamed, role: 'dropped' };
    }
    const values = rows.map((r) => (r[j] ?? '').trim());
    const empty = values.filter((v) => v === '').length;
    if (empty > 0) {
      note(`dropped: ${empty} empty cell(s); fill them to use it`);
      return { name, ...renamed, role: 'dropped' };
    }
    const numbers = values.map(Number);
    if (numbers.every(Number.isFinite)) {
      const integer = numbers.every(Number.isInteger);
      let min = Infinity;
      let max = -Infinity;
      for (const x of numbers) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
      note(`${integer ? 'integer' : 'numeric'}: seen ${min} .. ${max}`);
      return { name, ...renamed, role: 'feature', type: integer ? 'integer' : 'numeric', ...rangeWithMargin(min, max, integer) };
    }
    if (!hasTime && values.every((v) => ISO_DATE.test(v))) {
      hasTime = true;
      note('time: every value is an ISO date (the replay dates chunks by it)');
      return { name, ...renamed, role: 'time' };
    }
    const distinct = [...new Set(values)].sort();
    if (!hasId && distinct.length === values.length && values.length > MAX_INFERRED_CATEGORIES) {
      hasId = true;
      note('id: every value is unique');
      return { name, ...renamed, role: 'id' };
    }
    if (distinct.length > MAX_INFERRED_CATEGORIES || distinct.some((v) => v.length > MAX_CATEGORY_LENGTH)) {
      note(`dropped: ${distinct.length} distinct values (free text?); declare it yourself to use it`);
      return { name, ...renamed, role: 'dropped' };
    }
    note(`categorical: ${distinct.length} categories`);
    return { name, ...renamed, role: 'feature', type: 'categorical', categories: distinct };
  });
  const features = columns.filter((c) => c.role === 'feature');
  if (features.length === 0) throw new SchemaInferenceError('no column can be a feature (see the notes: every other column was dropped)');
  const example: Record<string, number | string> = {};
  for (const c of features) {
    const cell = rows[0][header.indexOf(c.csv_name ?? c.name)].trim();
    example[c.name] = c.type === 'categorical' ? cell : Number(cell);
  }
  return {
    schema: { name: request.name, separator: request.separator, positive_label: request.positive, columns, example },
    notes,
  };
}

/** The separator a header line most likely uses: the most frequent of `;`, `,`, tab and `|` outside quotes. */
export function sniffSeparator(headerLine: string): string {
  const outsideQuotes = headerLine.replace(/"[^"]*"/g, '');
  const counts = [';', ',', '\t', '|'].map((s) => [s, outsideQuotes.split(s).length - 1] as const);
  const [best, count] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return count > 0 ? best : ',';
}
