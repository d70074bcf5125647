import { INestApplication } from '@nestjs/common';
import { json } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';

/** Largest JSON body accepted; a single prediction is well under 1 KB. */
export const DEFAULT_BODY_LIMIT = '1mb';

interface BodyParserError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
}

/**
 * JSON body parsing with errors in Nest's shape ({statusCode, message, error}): body-parser's own
 * errors (too large, malformed, wrong charset) are raised before Nest's exception filters run.
 */
export function installJsonBodyParser(app: INestApplication, limit = DEFAULT_BODY_LIMIT): void {
  app.use(json({ limit }));
  app.use((err: BodyParserError, _req: Request, res: Response, next: NextFunction) => {
    const status = err.status ?? err.statusCode;
    if (!status || status < 400 || status >= 500) return next(err);
    const message =
      err.type === 'entity.too.large'
        ? `request body is larger than the ${limit} limit`
        : err.type === 'entity.parse.failed'
          ? `request body is not valid JSON: ${err.message}`
          : err.message;
    res.status(status).json({ statusCode: status, message, error: STATUS_CODES[status] ?? 'Bad Request' });
  });
}
