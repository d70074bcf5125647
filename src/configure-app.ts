import { INestApplication, NestApplicationOptions, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { GracefulShutdown } from './common/graceful-shutdown';
import { installJsonBodyParser } from './common/http-body';
import { installRequestIds } from './common/request-id';
import { installRequestMetrics } from './monitoring/request-metrics';

/** Options for NestFactory.create / createNestApplication: we parse bodies ourselves. */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false, bufferLogs: true };

/**
 * Everything an app needs beyond its modules: logger, validation, API docs. Shared by main.ts and
 * the e2e tests, so the tests exercise exactly what runs in production.
 */
export function configureApp(app: INestApplication): GracefulShutdown {
  app.useLogger(app.get(Logger));
  const shutdown = new GracefulShutdown();
  shutdown.install(app);
  installRequestIds(app);
  installRequestMetrics(app);
  installJsonBodyParser(app);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      // One message per field (the first rule it breaks) keeps errors readable.
      stopAtFirstError: true,
    }),
  );
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Self-healing ML pipeline')
      .setDescription(
        'Predicts whether a bank client subscribes to a term deposit (UCI Bank Marketing), logs every ' +
          'prediction, and watches the model in production.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return shutdown;
}
