import { Injectable } from '@nestjs/common';
import { loadCsvDataset } from './csv-dataset-loader';
import { Dataset } from './dataset';

/** Loads data files for the rest of the service; the parsing itself is in csv-dataset-loader. */
@Injectable()
export class DatasetLoaderService {
  load(file: string): Promise<Dataset> {
    return loadCsvDataset(file);
  }
}
