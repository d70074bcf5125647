import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A connection younger than this is closed to make room only when no older one can go: a client gets a moment to send its request. */
const EVICTABLE_AFTER_MS = 1000;

export interface ConnectionLimits {
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

interface OpenConnection {
  since: number;
  req: IncomingMessage | null;
  res: ServerResponse | null;
}

/**
 * Bounds what slow or idle clients can hold (issue 15: slow clients exhausted the process's file
 * descriptors). Node's timeouts are shortened (headers within HEADERS_TIMEOUT_S, the whole request
 * within REQUEST_TIMEOUT_S), and at most MAX_CONNECTIONS are open: a new connection beyond it takes
 * the place of the oldest one that is idle (between keep-alive requests) or slow (its headers or
 * body still coming after a second), so a flood of slow clients churns among itself while a client
 * that sends its request at once is served. Only when every connection is busy being answered is
 * the new one refused. (Node's own maxConnections refuses the newcomer, which a flood of slow
 * clients turns into refusing everyone.)
 */
export function limitConnections(server: Server, limits: ConnectionLimits, warn: (message: string) => void): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  const open = new Map<Socket, OpenConnection>();
  let lastWarning = 0;
  const say = (message: string) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    warn(message);
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const connection = open.get(req.socket);
    if (connection) {
      connection.req = req;
      connection.res = res;
    }
  });
  server.on('connection', (socket: Socket) => {
    if (open.size >= limits.maxConnections) {
      const victim = chooseVictim(open, Date.now());
      if (victim === null) {
        say(`MAX_CONNECTIONS (${limits.maxConnections}) reached and every connection is being answered: refusing new ones`);
        socket.destroy();
        return;
      }
      say(`MAX_CONNECTIONS (${limits.maxConnections}) reached: closing idle or slow connections to make room`);
      open.delete(victim);
      victim.destroy();
    }
    open.set(socket, { since: Date.now(), req: null, res: null });
    socket.once('close', () => open.delete(socket));
  });
}

/**
 * The connection to close for a newcomer: the oldest one idle or slow for a second; else, when a
 * flood opens connections faster than that (every one younger than a second), the oldest one whose
 * request is still incomplete, since a client that sends its request at once completes it within
 * milliseconds; null when every connection is being answered.
 */
function chooseVictim(open: ReadonlyMap<Socket, OpenConnection>, now: number): Socket | null {
  let incomplete: Socket | null = null;
  // Oldest first (a Map keeps insertion order): the first one that may go is the stalest.
  for (const [candidate, connection] of open) {
    if (evictable(connection, now)) return candidate;
    if (incomplete === null && (connection.req === null || !connection.req.complete)) incomplete = candidate;
  }
  return incomplete;
}

function evictable(connection: OpenConnection, now: number): boolean {
  if (now - connection.since < EVICTABLE_AFTER_MS) return false;
  const { req, res } = connection;
  if (req === null || !req.complete) return true; // headers or body still coming
  return res !== null && res.writableEnded; // answered: idle until the client's next request
}

const BATCH_PATHS = ['/predict/batch', '/feedback/batch'];

/**
 * At most `max` batch requests (/predict/batch, /feedback/batch: up to 8 MB each) in progress; one
 * more is answered 429 before its body is read, so fifty concurrent 10,000-row batches cannot hold
 * a gigabyte between them or starve /predict (MAX_CONCURRENT_BATCHES).
 */
export function limitConcurrentBatches(max: number): (req: Request, res: Response, next: NextFunction) => void {
  let inProgress = 0;
  return (req, res, next) => {
    // /predict (8 characters) leaves at the first test: this runs on every request.
    if (req.method !== 'POST' || req.url.length < 14 || !BATCH_PATHS.includes(req.path.toLowerCase().replace(/\/+$/, ''))) return next();
    if (inProgress >= max) {
      const body = JSON.stringify({
        statusCode: 429,
        message: `${max} batch requests are in progress (MAX_CONCURRENT_BATCHES): retry in a moment`,
        error: 'Too Many Requests',
      });
      res.statusCode = 429;
      res.setHeader('Retry-After', '1');
      res.setHeader('Connection', 'close'); // its body is not read
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(body);
      return;
    }
    inProgress++;
    res.once('close', () => inProgress--);
    next();
  };
}
