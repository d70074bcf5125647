import { json } from 'express';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { StringDecoder } from 'node:string_decoder';

const MIB = 1024 * 1024;
/** Largest JSON body accepted, in bytes; a single prediction is well under 1 KB. */
const DEFAULT_LIMIT_BYTES = 1 * MIB;
/**
 * The limit under BATCH_PATHS: /predict/batch takes up to 10,000 rows of about 400 bytes,
 * /feedback/batch up to 10,000 items of up to about 160 (a 128-character request id).
 */
const BATCH_LIMIT_BYTES = 8 * MIB;
const BATCH_PATHS = ['/predict/batch', '/feedback/batch'];

/** A limit as body-parser would write it, for messages ("8mb"). */
const limitText = (bytes: number) => `${bytes / MIB}mb`;

interface BodyParserError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
}

/**
 * Whether a request path is under one of BATCH_PATHS as Express matches a mount path: ignoring
 * case, and ending there or at a '/'.
 */
export function isBatchPath(path: string): boolean {
  const lower = path.toLowerCase();
  return BATCH_PATHS.some((p) => lower.startsWith(p) && (lower.length === p.length || lower[p.length] === '/'));
}

/** The Content-Type values the fast reader takes; any other type or charset goes to body-parser. */
const PLAIN_JSON_TYPES: ReadonlySet<string> = new Set(['application/json', 'application/json; charset=utf-8']);

/**
 * True for the common request: plain JSON in UTF-8, not compressed, with a Content-Length within
 * the limit. Everything else (chunked, gzip, other charsets, too large, no body) is body-parser's.
 */
function isPlainJsonRequest(req: Request, limitBytes: number): boolean {
  const headers = req.headers;
  const type = headers['content-type'];
  const length = headers['content-length'];
  return (
    type !== undefined &&
    PLAIN_JSON_TYPES.has(type) &&
    length !== undefined &&
    headers['content-encoding'] === undefined &&
    headers['transfer-encoding'] === undefined &&
    Number(length) <= limitBytes &&
    req.readable &&
    !req.readableEnded
  );
}

// JSON's four whitespace characters (RFC 8259), spelled out as the grammar does.
// eslint-disable-next-line no-control-regex
const FIRST_NON_WHITESPACE = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/;

/**
 * body-parser 2's strict JSON parsing of a decoded body, with its results and error messages: an
 * empty body is `{}`, a leading byte order mark is dropped, and only an object or an array is JSON
 * here (`"x"` or `1` fail, naming the first character as JSON.parse would).
 */
export function parseJsonBody(decoded: string): unknown {
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  if (text.length === 0) return {};
  if (text[0] !== '{' && text[0] !== '[') {
    const first = FIRST_NON_WHITESPACE.exec(text)?.[1] || undefined;
    if (first !== '{' && first !== '[') throw strictSyntaxError(text, first);
  }
  return JSON.parse(text);
}

/** The SyntaxError JSON.parse gives for `text` with everything from its first character on masked. */
function strictSyntaxError(text: string, first: string | undefined): SyntaxError {
  const index = text.indexOf(String(first));
  const partial = index === -1 ? '' : text.substring(0, index) + '#'.repeat(text.length - index);
  try {
    JSON.parse(partial);
    return new SyntaxError('strict violation');
  } catch (err) {
    const error = err as SyntaxError;
    error.message = error.message.replace(/#+/g, (mask) => text.substring(index, index + mask.length));
    return error;
  }
}

/**
 * The text of a body that came in chunks. Several chunks (a batch) are decoded one by one rather
 * than copied into one more buffer first: a large buffer is memory V8 does not see, and makes it
 * collect garbage more often.
 */
function decodeUtf8(chunks: readonly Buffer[]): string {
  if (chunks.length === 1) return chunks[0].toString('utf8');
  const decoder = new StringDecoder('utf8');
  let text = '';
  for (const chunk of chunks) text += decoder.write(chunk);
  return text + decoder.end();
}

/**
 * Reads and parses a plain JSON body (see isPlainJsonRequest) with a few listeners and one
 * JSON.parse: what body-parser does for such a request, without its content-type parsing, charset
 * decoder and stream bookkeeping, which cost more than the prediction. Same `req.body`, same errors.
 */
function readPlainJson(req: Request, next: NextFunction): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  // No 'error' listener: Node emits none on a request without one, and a request cut short never
  // ends, so nothing is answered to a client that is gone (body-parser's 400 could not reach it).
  req.once('end', () => {
    let body: unknown;
    try {
      body = parseJsonBody(decodeUtf8(chunks));
    } catch (err) {
      next(Object.assign(err as BodyParserError, { status: 400, type: 'entity.parse.failed' }));
      return;
    }
    req.body = body;
    next();
  });
}

/**
 * JSON body parsing: plain JSON requests are read by readPlainJson, the rest by body-parser itself,
 * with the limit of the path (BATCH_LIMIT_BYTES under BATCH_PATHS, DEFAULT_LIMIT_BYTES elsewhere).
 * Errors go to `next`, for jsonBodyErrorHandler.
 */
export function jsonBodyParser(): RequestHandler {
  const defaultParser: RequestHandler = json({ limit: DEFAULT_LIMIT_BYTES });
  const batchParser: RequestHandler = json({ limit: BATCH_LIMIT_BYTES });
  return (req: Request, res: Response, next: NextFunction) => {
    const batch = isBatchPath(req.path);
    if (isPlainJsonRequest(req, batch ? BATCH_LIMIT_BYTES : DEFAULT_LIMIT_BYTES)) {
      readPlainJson(req, next);
    } else {
      (batch ? batchParser : defaultParser)(req, res, next);
    }
  };
}

/**
 * Answers body errors in Nest's shape ({statusCode, message, error}): they are raised before
 * Nest's exception filters run. Other errors pass on.
 */
export function jsonBodyErrorHandler(): ErrorRequestHandler {
  return (err: BodyParserError, req: Request, res: Response, next: NextFunction) => {
    const limit = limitText(isBatchPath(req.path) ? BATCH_LIMIT_BYTES : DEFAULT_LIMIT_BYTES);
    const status = err.status ?? err.statusCode;
    if (!status || status < 400 || status >= 500) return next(err);
    const message =
      err.type === 'entity.too.large'
        ? `request body is larger than the ${limit} limit`
        : err.type === 'entity.parse.failed'
          ? `request body is not valid JSON: ${err.message}`
          : err.message;
    res.status(status).json({ statusCode: status, message, error: STATUS_CODES[status] ?? 'Bad Request' });
  };
}
