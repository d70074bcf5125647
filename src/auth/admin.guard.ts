import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthFailures, authFailuresFor } from './auth-failures';
import { bearerToken, matchesAny, tokenDigest } from './bearer-token';

/**
 * Admin endpoints (promote, rollback, heal) need `Authorization: Bearer $ADMIN_TOKEN`. With no
 * token configured they are off over HTTP (403); the CLI still works. Tokens are compared as
 * fixed-length digests in constant time, so timing says nothing about the token; a client that
 * fails too often in a minute is answered 429 (AUTH_FAILURES_PER_MINUTE).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer | null;
  private readonly failures: AuthFailures;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.adminToken ? tokenDigest(config.adminToken) : null;
    this.failures = authFailuresFor(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.expected) {
      throw new ForbiddenException('admin endpoints are disabled: set ADMIN_TOKEN to enable them (the CLI works without it)');
    }
    const req = context.switchToHttp().getRequest<Request>();
    await this.failures.assertAllowed(req);
    const token = bearerToken(req.headers.authorization);
    if (token === null)
      throw await this.failures.failed(req, new UnauthorizedException('this endpoint needs Authorization: Bearer <ADMIN_TOKEN>'));
    if (!matchesAny(token, [this.expected]))
      throw await this.failures.failed(req, new UnauthorizedException('the admin token is not valid'));
    return true;
  }
}
