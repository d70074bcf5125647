import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthFailures, authFailuresFor } from './auth-failures';
import { bearerToken, matchesAny, tokenDigest } from './bearer-token';

/** What a request to the feedback endpoints proved: a token (FEEDBACK_TOKEN or ADMIN_TOKEN), or nothing. */
export type FeedbackCaller = 'authenticated' | 'anonymous';

const CALLER = Symbol('feedbackCaller');

/** The caller FeedbackGuard let through. */
export function feedbackCallerOf(req: Request): FeedbackCaller {
  return (req as Request & { [CALLER]?: FeedbackCaller })[CALLER] ?? 'anonymous';
}

/**
 * Who may teach the model. With FEEDBACK_TOKEN set, /feedback and /feedback/batch need
 * `Authorization: Bearer $FEEDBACK_TOKEN` (or the admin token). Without it anyone may send
 * outcomes, which are then anonymous: a challenger they lead to is held for an admin instead of
 * promoted on its own. A token sent must be valid either way; failures count per client as the
 * admin guard's do.
 */
@Injectable()
export class FeedbackGuard implements CanActivate {
  private readonly accepted: Buffer[];
  private readonly required: boolean;
  private readonly failures: AuthFailures;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.accepted = [config.feedbackToken, config.adminToken].filter((t): t is string => !!t).map(tokenDigest);
    this.required = config.feedbackToken !== null;
    this.failures = authFailuresFor(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    if (header === undefined && !this.required) return true; // anonymous
    await this.failures.assertAllowed(req);
    const token = bearerToken(header);
    if (token === null) {
      throw await this.failures.failed(req, new UnauthorizedException('this endpoint needs Authorization: Bearer <FEEDBACK_TOKEN>'));
    }
    if (!matchesAny(token, this.accepted))
      throw await this.failures.failed(req, new UnauthorizedException('the feedback token is not valid'));
    (req as Request & { [CALLER]?: FeedbackCaller })[CALLER] = 'authenticated';
    return true;
  }
}
