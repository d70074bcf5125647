import { ExecutionContext, HttpException, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { FeedbackGuard, feedbackCallerOf } from './feedback.guard';

const FEEDBACK = 'feedback-token-0123456789';
const ADMIN = 'admin-token-0123456789';

const guard = (feedbackToken: string | null, authFailuresPerMinute = 1000) =>
  new FeedbackGuard({ feedbackToken, adminToken: ADMIN, authFailuresPerMinute } as AppConfig);

function request(authorization?: string): Request {
  return {
    headers: authorization === undefined ? {} : { authorization },
    ip: '10.0.0.9',
    method: 'POST',
    path: '/feedback',
    res: { locals: {} },
  } as unknown as Request;
}

const context = (req: Request) => ({ switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;

describe('FeedbackGuard', () => {
  it('without FEEDBACK_TOKEN lets anyone in, as anonymous; a valid token makes the caller authenticated', async () => {
    const anonymous = request();
    expect(await guard(null).canActivate(context(anonymous))).toBe(true);
    expect(feedbackCallerOf(anonymous)).toBe('anonymous');
    const admin = request(`Bearer ${ADMIN}`);
    expect(await guard(null).canActivate(context(admin))).toBe(true);
    expect(feedbackCallerOf(admin)).toBe('authenticated');
  });

  it('without FEEDBACK_TOKEN a wrong token is still a 401 (and counts as a failure)', async () => {
    await expect(guard(null).canActivate(context(request('Bearer guess')))).rejects.toThrow(
      new UnauthorizedException('the feedback token is not valid'),
    );
  });

  it('with FEEDBACK_TOKEN needs it (or the admin token)', async () => {
    await expect(guard(FEEDBACK).canActivate(context(request()))).rejects.toThrow(
      new UnauthorizedException('this endpoint needs Authorization: Bearer <FEEDBACK_TOKEN>'),
    );
    await expect(guard(FEEDBACK).canActivate(context(request('Bearer guess')))).rejects.toThrow(UnauthorizedException);
    for (const token of [FEEDBACK, ADMIN]) {
      const req = request(`Bearer ${token}`);
      expect(await guard(FEEDBACK).canActivate(context(req))).toBe(true);
      expect(feedbackCallerOf(req)).toBe('authenticated');
    }
  });

  it('answers 429 once a client has failed too often', async () => {
    const limited = guard(FEEDBACK, 2);
    for (let i = 0; i < 2; i++) await expect(limited.canActivate(context(request('Bearer guess')))).rejects.toThrow(UnauthorizedException);
    for (const header of ['Bearer guess', `Bearer ${FEEDBACK}`]) {
      const err = await limited.canActivate(context(request(header))).catch((e: HttpException) => e);
      expect((err as HttpException).getStatus()).toBe(429);
    }
  });
});
