import { DynamicModule, Global, Module } from '@nestjs/common';
import { CLOCK, Clock, systemClock } from '../common/clock';
import { DATASET_SCHEMA, readSchemaFile } from '../data/schema-file';
import { DatasetSchema } from '../data/dataset-schema';
import { APP_CONFIG, AppConfig, loadConfig } from './app-config';

/**
 * Provides the validated AppConfig under APP_CONFIG, the dataset schema it names (DATA_SCHEMA)
 * under DATASET_SCHEMA, and the clock under CLOCK, to every module. `forConfig` builds the same for
 * a given configuration (the replay's scratch service).
 */
@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: () => loadConfig() },
    { provide: DATASET_SCHEMA, inject: [APP_CONFIG], useFactory: (config: AppConfig) => readSchemaFile(config.dataSchemaFile) },
    { provide: CLOCK, useValue: systemClock },
  ],
  exports: [APP_CONFIG, DATASET_SCHEMA, CLOCK],
})
export class ConfigModule {
  static forConfig(config: AppConfig, clock: Clock = systemClock, schema?: DatasetSchema): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: DATASET_SCHEMA, useValue: schema ?? readSchemaFile(config.dataSchemaFile) },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [APP_CONFIG, DATASET_SCHEMA, CLOCK],
    };
  }
}
