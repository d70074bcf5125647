import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { DatasetSchema } from './data/dataset-schema';
import { DATASET_SCHEMA } from './data/schema-file';
import type { Express, NextFunction, Request, Response } from 'express';
import helmet, { HelmetOptions } from 'helmet';
import { Logger, PinoLogger } from 'nestjs-pino';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { DatabaseUnavailableFilter } from './common/database-unavailable.filter';
import { GracefulShutdown } from './common/graceful-shutdown';
import { FrameworkLinesAtDebug } from './common/logs/framework-lines';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { jsonBodyErrorHandler, jsonBodyParser } from './common/http-body';
import { limitConcurrentBatches, limitConnections } from './common/http-limits';
import { assignRequestId } from './common/request-id';
import { FastPathValidationPipe } from './inference/fast-path-validation.pipe';
import { MetricsService } from './monitoring/metrics.service';
import { requestMetrics } from './monitoring/request-metrics';

/**
 * Options for NestFactory.create / createNestApplication: we parse bodies ourselves. Nest's own
 * lines are held until configureApp hands it the pino logger (tests); main.ts gives Nest that logger
 * from the start instead, so its start-up lines are written when they happen.
 */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false, bufferLogs: true };

/**
 * A constructor of `base` objects that are born with `prototype` (which must inherit from base's).
 * Node's IncomingMessage and ServerResponse are plain constructor functions, so `base` runs on the
 * object `new` made; Reflect.construct with a new target would work for classes too, but V8 makes
 * such objects on a slow path.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a Node class called as a function, as Express's own prototypes expect
export function bornWith<C extends Function>(base: C, prototype: object): C {
  function Born(this: object, ...args: unknown[]): void {
    base.apply(this, args);
  }
  Born.prototype = prototype;
  return Born as unknown as C;
}

/**
 * Nest's ExpressAdapter, with an HTTP server whose requests and responses are born with the
 * Express app's request and response prototypes. Express gives every request and response its
 * prototypes with Object.setPrototypeOf, and on these objects that is a V8 performance cliff:
 * every later property access in Node's HTTP code and in Express is slower, which made a
 * /predict cost twice what it does with this adapter. Born with them, the swap changes nothing.
 * (HTTPS or forceCloseConnections: Nest's own server, as before.)
 */
export class ExpressHttpAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.forceCloseConnections) {
      super.initHttpServer(options);
      return;
    }
    const express = this.getInstance() as Express;
    this.setHttpServer(
      createServer(
        {
          IncomingMessage: bornWith(IncomingMessage, express.request),
          ServerResponse: bornWith(ServerResponse, express.response),
          // Check the header and request timeouts every second (Node's default is every 30 s).
          connectionsCheckingInterval: 1000,
        },
        express,
      ),
    );
  }
}

/** The HTTP adapter to create the app with (main.ts; the e2e tests can pass it too). */
export function createHttpAdapter(): ExpressHttpAdapter {
  return new ExpressHttpAdapter();
}

/**
 * The line pino-http would write for a finished request (`req` with its id and redacted headers,
 * `res`, `responseTime`), at error for a 5xx, warn for a 4xx and debug otherwise, so at the default
 * level only failures are logged and a successful request costs one level check.
 */
export function logFinishedRequest(req: Request, res: Response, milliseconds: number): void {
  // The logger nestjs-pino built from the pinoHttp options in AppModule (serializers, redaction).
  const logger = PinoLogger.root;
  // A refused token guess: the auth guard wrote its own short line (or, once blocked, none).
  if (res.locals?.quietLog) return;
  const status = res.statusCode;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'debug';
  if (!logger?.isLevelEnabled(level)) return;
  const responseTime = Math.round(milliseconds);
  if (status >= 500) {
    logger.error({ req, res, err: new Error(`failed with status code ${status}`), responseTime }, 'request errored');
  } else {
    logger[level]({ req, res, responseTime }, 'request completed');
  }
}

/**
 * helmet's options for this service, which listens on plain HTTP and may be reached over HTTPS
 * through a proxy (PUBLIC_URL). helmet's defaults, except:
 * - no CSP `upgrade-insecure-requests`: it makes the browser fetch the page's own scripts and
 *   styles over HTTPS, which a plain-HTTP service does not answer, so /docs is blank at any address
 *   but localhost (which browsers exempt). Behind HTTPS it changes nothing: our pages load only
 *   their own relative URLs, already HTTPS there.
 * - HSTS only when users reach the service at an https:// PUBLIC_URL: over plain HTTP browsers
 *   ignore it, and a proxy that one day serves this name over HTTP would be locked out by it.
 * - Cross-Origin-Opener-Policy likewise: browsers apply it only at a trustworthy origin (HTTPS or
 *   localhost) and elsewhere print a console error on every page (Swagger's, the dashboard's).
 * The CSP stays helmet's otherwise: scripts only from the service itself (Swagger UI's are files
 * under /docs, its inline styles are allowed by helmet's style-src), nothing framed or embedded.
 */
export function securityHeaderOptions(config: Pick<AppConfig, 'publicUrl'>): HelmetOptions {
  const https = config.publicUrl?.startsWith('https://') ?? false;
  return {
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    strictTransportSecurity: https,
    crossOriginOpenerPolicy: https,
  };
}

/**
 * The headers helmet(options) sets (CSP, HSTS, X-Frame-Options, nosniff, ...), computed once: they
 * are the same for every request, so setting them costs a loop instead of helmet's chain of a
 * dozen middlewares per request.
 */
export function helmetHeaders(options?: HelmetOptions): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  let failure: unknown;
  helmet(options)({} as never, recorder as never, (err?: unknown) => (failure = err));
  if (failure) throw failure;
  return headers;
}

/**
 * Everything an app needs beyond its modules: logger, validation, API docs. Shared by main.ts and
 * the e2e tests, so the tests exercise exactly what runs in production.
 */
export function configureApp(app: INestApplication): GracefulShutdown {
  app.useLogger(new FrameworkLinesAtDebug(app.get(Logger)));
  const express = app.getHttpAdapter().getInstance() as Express;
  // No ETag (hashing every JSON answer for conditional GETs nobody sends to an API) and no
  // advertising of the framework.
  express.set('etag', false);
  express.disable('x-powered-by');
  const shutdown = new GracefulShutdown();
  shutdown.install(app);
  // With a shared database, a request that fails because it cannot be reached is a 503, not a 500.
  app.useGlobalFilters(new DatabaseUnavailableFilter(app.getHttpAdapter()));
  // One middleware does what every request needs before its route (each middleware Express runs
  // costs a little): the security headers, the request id, the metrics and log line, and reading
  // the JSON body.
  const config = app.get<AppConfig>(APP_CONFIG);
  const securityHeaders = helmetHeaders(securityHeaderOptions(config));
  const observe = requestMetrics(app.get(MetricsService), logFinishedRequest);
  const parseBody = jsonBodyParser();
  // Slow and idle clients, and large batches, hold only so much (MAX_CONNECTIONS, the timeouts, MAX_CONCURRENT_BATCHES).
  const logger = app.get(Logger);
  limitConnections(
    app.getHttpServer() as Server,
    {
      maxConnections: config.http.maxConnections,
      headersTimeoutMs: config.http.headersTimeoutSeconds * 1000,
      requestTimeoutMs: config.http.requestTimeoutSeconds * 1000,
    },
    (message) => logger.warn(message, 'Connections'),
  );
  const admitBatch = limitConcurrentBatches(config.http.maxConcurrentBatches);
  app.use((req: Request, res: Response, next: NextFunction) => {
    for (let i = 0; i < securityHeaders.length; i++) res.setHeader(securityHeaders[i][0], securityHeaders[i][1]);
    assignRequestId(req, res);
    observe(req, res);
    admitBatch(req, res, () => parseBody(req, res, next));
  });
  app.use(jsonBodyErrorHandler());
  // Nest's ValidationPipe (whitelist, forbid unknown fields, transform, first error per field),
  // with a compiled fast path for the prediction DTOs.
  app.useGlobalPipes(new FastPathValidationPipe());
  const schema = app.get<DatasetSchema>(DATASET_SCHEMA);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Self-healing ML pipeline')
      .setDescription(
        `Predicts ${schema.target.name} = ${schema.target.positive} for rows of the dataset schema ${schema.name}` +
          `${schema.description ? ` (${schema.description})` : ''}, logs every prediction, and watches the model in production.`,
      )
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: undefined,
        description: 'ADMIN_TOKEN, sent as `Authorization: Bearer <token>` (an opaque token, not a JWT)',
      })
      .build(),
  );
  closeFeatureRowSchema(document, schema);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return shutdown;
}

/**
 * What decorators cannot say about the schema-built request DTO: no other properties (the
 * ValidationPipe forbids them) and the whole example body, in the schema's column order.
 */
function closeFeatureRowSchema(document: OpenAPIObject, schema: DatasetSchema): void {
  const row = document.components?.schemas?.PredictRequestDto as Record<string, unknown> | undefined;
  if (!row) return;
  row.additionalProperties = false;
  if (schema.example) row.example = { ...schema.example };
}
