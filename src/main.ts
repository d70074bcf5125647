import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { APP_CONFIG, AppConfig, ConfigError, loadConfig } from './config/app-config';
import { SchemaError, readSchemaFile } from './data/schema-file';
import { APP_OPTIONS, configureApp, createHttpAdapter } from './configure-app';

async function bootstrap(): Promise<void> {
  readSchemaFile(loadConfig().dataSchemaFile); // fail fast, with one clear line, before Nest starts
  const app = await NestFactory.create(AppModule, createHttpAdapter(), APP_OPTIONS);
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
