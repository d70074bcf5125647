import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** How long in-flight work may take after SIGTERM before the process gives up and exits 1. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * SIGTERM / SIGINT: stop taking connections, let in-flight requests finish, flush the logs (the
 * services' shutdown hooks run after the HTTP server has drained), then exit 0. While draining,
 * responses carry `Connection: close`, so keep-alive clients stop reusing their sockets and the
 * server can actually empty.
 */
export class GracefulShutdown {
  private draining = false;

  /** Must run before the app's routes are registered (configureApp does it). */
  install(app: INestApplication): void {
    app.use((_req: Request, res: Response, next: NextFunction) => {
      if (this.draining) res.setHeader('Connection', 'close');
      next();
    });
  }

  listen(app: INestApplication, say: (message: string) => void, timeoutMs = SHUTDOWN_TIMEOUT_MS): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.draining) return;
      this.draining = true;
      say(`${signal} received: finishing in-flight requests, then flushing logs`);
      const timer = setTimeout(() => {
        process.stderr.write(`shutdown took longer than ${timeoutMs} ms: exiting anyway\n`);
        process.exit(1);
      }, timeoutMs);
      timer.unref();
      app.close().then(
        () => process.exit(0),
        (err: Error) => {
          process.stderr.write(`shutdown failed: ${err.message}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
}
