import { loadCsvDataset } from '../../../src/data/csv-dataset-loader';
import { DatasetSchema } from '../../../src/data/dataset-schema';
import { PgVersionRepository } from '../../../src/storage/postgres/pg-version-repository';
import { trainModel } from '../../../src/training/training-pipeline';
import { SMALL_DATA } from '../../support/test-app';
import { testPool } from './temp-database';

/** Trains a model with another seed and saves it as the next version of the database (as `train` would); returns its name. */
export async function saveExtraVersion(url: string, schema: DatasetSchema): Promise<string> {
  const dataset = await loadCsvDataset(SMALL_DATA, schema);
  const trained = trainModel({ schema, records: dataset.records, labels: dataset.labels, seed: 7 });
  const pool = testPool(url, 1);
  try {
    const versions = new PgVersionRepository(pool, schema);
    const metadata = await versions.saveVersion(
      trained,
      { dataFile: SMALL_DATA, dataSha256: dataset.sha256, seed: 7, parentVersion: null, reason: 'test: a second version' },
      new Date(),
    );
    return metadata.version;
  } finally {
    await pool.end();
  }
}
