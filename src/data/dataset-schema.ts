import { createHash } from 'node:crypto';

/**
 * The dataset's columns as data (a schema file, see data/bank-marketing.schema.json): which are
 * features, of which type and range, which is the target and its positive label, which are dropped.
 * Everything that handles rows (loading, validation, OpenAPI, logs, drift, the replay) reads it.
 */
export const COLUMN_ROLES = ['feature', 'target', 'dropped', 'id', 'time'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];
export const COLUMN_TYPES = ['numeric', 'integer', 'categorical'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** One feature column: its name in requests, logs and the model, and what a valid value is. */
export interface FeatureColumn {
  /** A valid identifier: the name in requests, logs, drift reports and model files. */
  readonly name: string;
  /** The header in the CSV (differs from `name` when renamed, e.g. `emp.var.rate`). */
  readonly csvName: string;
  readonly type: ColumnType;
  /** Inclusive bounds of a number; absent: any finite number. */
  readonly minimum?: number;
  readonly maximum?: number;
  /** The allowed values of a categorical column; absent: learned at training and stored with the version. */
  readonly categories?: readonly string[];
  readonly description?: string;
}

/** A column that is read but does not enter the model. */
export interface OtherColumn {
  readonly name: string;
  readonly csvName: string;
  readonly role: 'dropped' | 'id' | 'time';
  readonly description?: string;
}

/** The target: a two-valued column; `positive` is the label the model's probability is about. */
export interface TargetColumn {
  readonly name: string;
  readonly csvName: string;
  readonly positive: string;
  readonly negative: string;
}

/** The replay's calendar for data without a time column: a month-name column walked in row order. */
export interface RowMonths {
  readonly column: string;
  readonly firstYear: number;
}

/** One client (row) as the model sees it: numbers for numeric features, strings for categorical ones. */
export type FeatureRecord = Readonly<Record<string, number | string>>;

export interface DatasetSchemaParts {
  name: string;
  description?: string;
  separator: string;
  /** Every column in CSV order. */
  features: FeatureColumn[];
  others: OtherColumn[];
  target: TargetColumn;
  /** CSV order of all columns, by name, to write the schema back as it was read. */
  columnOrder: string[];
  example?: Record<string, number | string>;
  rowMonths?: RowMonths;
}

export class DatasetSchema {
  readonly name: string;
  readonly description?: string;
  readonly separator: string;
  /** The features in CSV order: the order of the coefficient vector and of every per-feature list. */
  readonly features: readonly FeatureColumn[];
  readonly others: readonly OtherColumn[];
  readonly target: TargetColumn;
  readonly example?: Readonly<Record<string, number | string>>;
  readonly rowMonths?: RowMonths;
  readonly featureNames: readonly string[];
  readonly numericFeatures: readonly string[];
  readonly categoricalFeatures: readonly string[];
  /** sha256 of what the model depends on (not descriptions or the example): two schemas with the same hash read rows alike. */
  readonly hash: string;
  /** Every column, in the order the schema file lists them. */
  readonly columnOrder: readonly string[];
  private readonly byName: ReadonlyMap<string, FeatureColumn>;

  constructor(parts: DatasetSchemaParts) {
    this.name = parts.name;
    this.description = parts.description;
    this.separator = parts.separator;
    this.features = parts.features;
    this.others = parts.others;
    this.target = parts.target;
    this.example = parts.example;
    this.rowMonths = parts.rowMonths;
    this.columnOrder = parts.columnOrder;
    this.featureNames = parts.features.map((f) => f.name);
    this.numericFeatures = parts.features.filter((f) => f.type !== 'categorical').map((f) => f.name);
    this.categoricalFeatures = parts.features.filter((f) => f.type === 'categorical').map((f) => f.name);
    this.byName = new Map(parts.features.map((f) => [f.name, f]));
    this.hash = createHash('sha256').update(JSON.stringify(this.modelRelevantParts())).digest('hex');
  }

  feature(name: string): FeatureColumn | undefined {
    return this.byName.get(name);
  }

  isCategorical(name: string): boolean {
    return this.byName.get(name)?.type === 'categorical';
  }

  /** The schema's short identity for messages and metadata: `bank-marketing (sha256 1a2b3c4d)`. */
  get label(): string {
    return `${this.name} (sha256 ${this.hash.slice(0, 12)})`;
  }

  /** The label of a 0/1 outcome. */
  labelOf(outcome: 0 | 1): string {
    return outcome === 1 ? this.target.positive : this.target.negative;
  }

  /** 1 for the positive label, 0 for the negative one, null for anything else. */
  outcomeOf(label: unknown): 0 | 1 | null {
    if (label === this.target.positive) return 1;
    if (label === this.target.negative) return 0;
    return null;
  }

  private modelRelevantParts(): unknown {
    return {
      separator: this.separator,
      features: this.features.map((f) => [f.name, f.csvName, f.type, f.minimum ?? null, f.maximum ?? null, f.categories ?? null]),
      others: this.others.map((c) => [c.name, c.csvName, c.role]),
      target: [this.target.name, this.target.csvName, this.target.negative, this.target.positive],
    };
  }

  /** The schema file's JSON, columns in CSV order. */
  toJSON(): SchemaFileJson {
    const columns = this.columnOrder.map((name): SchemaColumnJson => {
      if (name === this.target.name) {
        return {
          name,
          ...(this.target.csvName !== name ? { csv_name: this.target.csvName } : {}),
          role: 'target',
          type: 'categorical',
          categories: [this.target.negative, this.target.positive],
        };
      }
      const feature = this.byName.get(name);
      if (feature) {
        return {
          name,
          ...(feature.csvName !== name ? { csv_name: feature.csvName } : {}),
          role: 'feature',
          type: feature.type,
          ...(feature.minimum !== undefined ? { minimum: feature.minimum } : {}),
          ...(feature.maximum !== undefined ? { maximum: feature.maximum } : {}),
          ...(feature.categories ? { categories: [...feature.categories] } : {}),
          ...(feature.description ? { description: feature.description } : {}),
        };
      }
      const other = this.others.find((c) => c.name === name)!;
      return {
        name,
        ...(other.csvName !== name ? { csv_name: other.csvName } : {}),
        role: other.role,
        ...(other.description ? { description: other.description } : {}),
      };
    });
    return {
      name: this.name,
      ...(this.description ? { description: this.description } : {}),
      separator: this.separator,
      positive_label: this.target.positive,
      columns,
      ...(this.example ? { example: { ...this.example } } : {}),
      ...(this.rowMonths ? { row_months: { column: this.rowMonths.column, first_year: this.rowMonths.firstYear } } : {}),
    };
  }
}

/** A schema file as written on disk. */
export interface SchemaFileJson {
  name: string;
  description?: string;
  separator: string;
  positive_label: string;
  columns: SchemaColumnJson[];
  example?: Record<string, number | string>;
  row_months?: { column: string; first_year: number };
}

export interface SchemaColumnJson {
  name: string;
  csv_name?: string;
  role?: ColumnRole;
  type?: ColumnType;
  minimum?: number;
  maximum?: number;
  categories?: string[];
  description?: string;
}
