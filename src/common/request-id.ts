import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

/** What a stored request id may look like: safe in logs, headers and URLs. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's id may be shorter, leaving room for the `-<row>` suffix of batch rows. */
const INCOMING_ID_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/** The caller's X-Request-Id when it is a sane token, otherwise a fresh UUID. */
export function resolveRequestId(header: unknown): string {
  return typeof header === 'string' && INCOMING_ID_PATTERN.test(header) ? header : randomUUID();
}

/** The id given to this request by `assignRequestId`. */
export function requestIdOf(req: Request): string {
  return (req as Request & { id: string }).id;
}

/**
 * Gives a request its id (the caller's X-Request-Id when sane, so logs can be joined across
 * services), returns it in the X-Request-Id response header, and leaves it on `req.id`, where
 * the request log shows it and /predict puts it in the prediction log and the response body.
 */
export function assignRequestId(req: Request, res: Response): string {
  const id = resolveRequestId(req.headers['x-request-id']);
  (req as Request & { id: string }).id = id;
  res.setHeader('X-Request-Id', id);
  return id;
}
