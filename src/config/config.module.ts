import { DynamicModule, Global, Module } from '@nestjs/common';
import { CLOCK, Clock, systemClock } from '../common/clock';
import { APP_CONFIG, AppConfig, loadConfig } from './app-config';

/**
 * Provides the validated AppConfig under APP_CONFIG, and the clock under CLOCK, to every module.
 * `forConfig` builds the same for a given configuration (the replay's scratch service).
 */
@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: () => loadConfig() },
    { provide: CLOCK, useValue: systemClock },
  ],
  exports: [APP_CONFIG, CLOCK],
})
export class ConfigModule {
  static forConfig(config: AppConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }
}
