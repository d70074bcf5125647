import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule, appLogger } from './app.module';
import { FrameworkLinesAtDebug } from './common/logs/framework-lines';
import { APP_CONFIG, AppConfig, ConfigError, loadConfig } from './config/app-config';
import { SchemaError, readSchemaFile } from './data/schema-file';
import { APP_OPTIONS, configureApp, createHttpAdapter } from './configure-app';

async function bootstrap(): Promise<void> {
  const startConfig = loadConfig(); // fail fast, with one clear line, before Nest starts
  readSchemaFile(startConfig.dataSchemaFile);
  // Nest logs through pino from its first line, unbuffered, so every start-up line carries the
  // time it happened (buffered lines would all be stamped when the buffer is flushed, after training).
  const startLogger = new FrameworkLinesAtDebug(new Logger(new PinoLogger({ pinoHttp: { logger: appLogger(startConfig) } }), {}));
  // abortOnError false: a provider that fails to start (the database unreachable) reaches the catch below, which says it in one line.
  const app = await NestFactory.create(AppModule, createHttpAdapter(), {
    ...APP_OPTIONS,
    bufferLogs: false,
    logger: startLogger,
    abortOnError: false,
  });
  const shutdown = configureApp(app);
  const config = app.get<AppConfig>(APP_CONFIG);
  const logger = app.get(Logger);
  shutdown.listen(app, (message) => logger.log(message, 'Shutdown'));
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  logger.log(`listening on http://${shownHost}:${address.port} (Swagger UI at /docs)`, 'Bootstrap');
}

bootstrap().catch((err: Error) => {
  const message = err instanceof ConfigError || err instanceof SchemaError ? err.message : `cannot start: ${err.message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
