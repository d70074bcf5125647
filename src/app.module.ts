import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { createAppLogger } from './common/logs/app-logger';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { HealingModule } from './healing/healing.module';
import { InferenceModule } from './inference/inference.module';
import { ModelRegistryModule } from './model-registry/model-registry.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { PredictionsModule } from './predictions/predictions.module';
import { StartupModule } from './startup/startup.module';
import { DatabaseModule } from './storage/postgres/database.module';

/** The service's pino logger (pretty or JSON lines, see LOG_FORMAT); a logged request's Authorization header is redacted. */
export function appLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): PinoInstance {
  return createAppLogger({ level: config.logLevel, format: config.logFormat, redact: ['req.headers.authorization'] });
}

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // pino-http builds the logger (serializers for req, res and err; redaction), but it is not
        // mounted: it would build a child logger per request, and its request-context middleware
        // turns on async hooks for every promise. configureApp logs each finished request instead,
        // with the same line: 5xx at error, 4xx at warn, the rest at debug.
        pinoHttp: { logger: appLogger(config) },
        forRoutes: [],
      }),
    }),
    DatabaseModule,
    // First, so its routes are the first ones Express tries: /predict is matched against 3 route
    // patterns instead of 15. (Module order decides nothing else: init hooks follow the imports.)
    InferenceModule,
    ModelRegistryModule,
    PredictionsModule,
    MonitoringModule,
    HealingModule,
    StartupModule,
    DashboardModule,
  ],
})
export class AppModule {}
