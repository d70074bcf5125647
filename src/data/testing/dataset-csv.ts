import { DatasetSchema, FeatureRecord } from '../dataset-schema';

/**
 * Labelled rows as a CSV file of a schema (for tests and generated histories): its columns in the
 * schema's order under their CSV names, its separator, its target labels; dropped, id and time
 * columns are left empty (the loader does not read them as features).
 */
export function datasetCsv(schema: DatasetSchema, rows: { records: readonly FeatureRecord[]; labels: ArrayLike<number> }): string {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const columns = schema.columnOrder;
  const csvNames = new Map([...schema.features, ...schema.others, schema.target].map((c) => [c.name, c.csvName]));
  const lines = [columns.map((name) => quote(csvNames.get(name)!)).join(schema.separator)];
  rows.records.forEach((record, i) => {
    const cells = columns.map((name) => {
      if (name === schema.target.name) return quote(schema.labelOf(rows.labels[i] === 1 ? 1 : 0));
      const value = record[name];
      if (value === undefined) return '';
      return typeof value === 'number' ? String(value) : quote(value);
    });
    lines.push(cells.join(schema.separator));
  });
  return `${lines.join('\n')}\n`;
}
