import { Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DataModule } from './data/data.module';
import { InferenceModule } from './inference/inference.module';
import { ModelRegistryModule } from './model-registry/model-registry.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { PreprocessingModule } from './preprocessing/preprocessing.module';
import { TrainingModule } from './training/training.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          redact: ['req.headers.authorization'],
          // installRequestIds has already chosen the id (the caller's X-Request-Id or a UUID).
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? 'unknown',
          // One line per request is plenty; successful requests log at debug to keep the hot path cheap.
          customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
        },
      }),
    }),
    DataModule,
    PreprocessingModule,
    TrainingModule,
    ModelRegistryModule,
    MonitoringModule,
    InferenceModule,
  ],
})
export class AppModule {}
