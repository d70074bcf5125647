import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../config/app-config';

/** A client refused for failing to authenticate too often: 429, not logged again per request. */
export class TooManyAuthFailures extends HttpException {
  constructor(retryAfterSeconds: number) {
    super(
      {
        statusCode: 429,
        message: `too many failed authentications from this client: try again in ${retryAfterSeconds} s`,
        error: 'Too Many Requests',
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** Marks a response whose request the request log should not write out in full (a refused guess). */
export function quietRequestLog(req: Request): void {
  if (req.res?.locals) req.res.locals.quietLog = true;
}

/**
 * Failed authentications per client (its address): after AUTH_FAILURES_PER_MINUTE in a minute the
 * client is answered 429 for a minute, whatever token it sends, so tokens cannot be guessed at
 * full speed. rate-limiter-flexible keeps the counts (in memory, expiring on their own).
 */
export class AuthFailures {
  private readonly logger = new Logger('Auth');
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly perMinute: number) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60, blockDuration: 60, keyPrefix: 'auth' });
  }

  /** Throws 429 while the client is blocked (before any token is compared). */
  async assertAllowed(req: Request): Promise<void> {
    const res = await this.limiter.get(clientOf(req));
    if (res !== null && res.consumedPoints > this.perMinute) {
      quietRequestLog(req);
      throw new TooManyAuthFailures(Math.ceil(res.msBeforeNext / 1000));
    }
  }

  /** Counts a failure and returns the 401 to throw, or throws 429 once the client has failed too often. */
  async failed(req: Request, refusal: HttpException): Promise<HttpException> {
    const client = clientOf(req);
    quietRequestLog(req);
    try {
      const res = await this.limiter.consume(client);
      this.logger.warn(
        `${refusal.getStatus()} ${req.method} ${req.path} from ${client} (${res.consumedPoints} of ${this.perMinute} failures a minute)`,
      );
      return refusal;
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const seconds = Math.ceil(err.msBeforeNext / 1000);
      // Said once, when the client is blocked; the requests refused after it are not logged.
      if (err.consumedPoints === this.perMinute + 1)
        this.logger.warn(`${client} blocked for ${seconds} s after ${this.perMinute} failed authentications in a minute`);
      return new TooManyAuthFailures(seconds);
    }
  }
}

function clientOf(req: Request): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}

/** One counter per configuration (the guards are made per module, and must share it). */
const perConfig = new WeakMap<AppConfig, AuthFailures>();

export function authFailuresFor(config: AppConfig): AuthFailures {
  let failures = perConfig.get(config);
  if (!failures) {
    failures = new AuthFailures(config.authFailuresPerMinute);
    perConfig.set(config, failures);
  }
  return failures;
}
