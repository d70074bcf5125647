import { INestApplication } from '@nestjs/common';
import { json } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';

/** Largest JSON body accepted; a single prediction is well under 1 KB. */
export const DEFAULT_BODY_LIMIT = '1mb';
/** /predict/batch takes up to 10,000 rows of about 400 bytes each. */
export const BATCH_BODY_LIMIT = '8mb';
const BATCH_PATHS = ['/predict/batch'];

interface BodyParserError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
}

/**
 * JSON body parsing with errors in Nest's shape ({statusCode, message, error}): body-parser's own
 * errors (too large, malformed, wrong charset) are raised before Nest's exception filters run.
 */
export function installJsonBodyParser(app: INestApplication): void {
  app.use(BATCH_PATHS, json({ limit: BATCH_BODY_LIMIT }));
  app.use(json({ limit: DEFAULT_BODY_LIMIT }));
  app.use((err: BodyParserError, req: Request, res: Response, next: NextFunction) => {
    const limit = BATCH_PATHS.includes(req.path) ? BATCH_BODY_LIMIT : DEFAULT_BODY_LIMIT;
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
