import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Admin endpoints (promote, rollback, heal) need `Authorization: Bearer $ADMIN_TOKEN`. With no
 * token configured they are off over HTTP (403); the CLI still works. Tokens are compared as
 * fixed-length digests in constant time, so timing says nothing about the token.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.adminToken ? digest(config.adminToken) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      throw new ForbiddenException('admin endpoints are disabled: set ADMIN_TOKEN to enable them (the CLI works without it)');
    }
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(.+)$/i.exec(header) : null; // the scheme is case-insensitive (RFC 7235)
    if (!match) throw new UnauthorizedException('this endpoint needs Authorization: Bearer <ADMIN_TOKEN>');
    if (!timingSafeEqual(digest(match[1]), this.expected)) throw new UnauthorizedException('the admin token is not valid');
    return true;
  }
}
