import { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { DatasetSchema } from '../data/dataset-schema';
import { FeatureRowRules, compileFeatureRowRules } from '../data/feature-row-rules';
import { DATASET_SCHEMA } from '../data/schema-file';
import { bindRequestDtos } from './dto/predict-request.dto';

/** The Nest token of the serving schema's compiled row rules. */
export const FEATURE_ROW_RULES = Symbol('FEATURE_ROW_RULES');

/**
 * Compiles the schema's row rules and builds the request DTOs from the schema, before any request
 * or the OpenAPI document: both read the DTO's decorators. A schema without an example shows the
 * first row of the training data file (when it can be read) as the example.
 */
export const featureRowRulesProvider: Provider = {
  provide: FEATURE_ROW_RULES,
  inject: [DATASET_SCHEMA, APP_CONFIG],
  useFactory: async (schema: DatasetSchema, config: AppConfig): Promise<FeatureRowRules> => {
    const rules = compileFeatureRowRules(schema);
    const example = schema.example ? undefined : await firstDataRow(config.dataFile, schema);
    bindRequestDtos(schema, rules, example);
    return rules;
  },
};

async function firstDataRow(file: string, schema: DatasetSchema): Promise<Record<string, number | string> | undefined> {
  try {
    return { ...(await loadCsvDataset(file, schema)).records[0] };
  } catch {
    return undefined;
  }
}
