import { ExecutionContext, ForbiddenException, HttpException, UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AdminGuard } from './admin.guard';

const TOKEN = 'correct-horse-battery-staple';

const guard = (adminToken: string | null, authFailuresPerMinute = 1000) =>
  new AdminGuard({ adminToken, authFailuresPerMinute } as AppConfig);

/** A fake ExecutionContext for an HTTP request with the given Authorization header. */
function context(authorization?: unknown): ExecutionContext {
  const request = {
    headers: authorization === undefined ? {} : { authorization },
    ip: '10.0.0.9',
    method: 'POST',
    path: '/models/rollback',
    res: { locals: {} },
  };
  return {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}), getNext: () => () => undefined }),
  } as unknown as ExecutionContext;
}

/** The exception canActivate throws (fails the test when it returns). */
async function thrown(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an exception');
}

describe('AdminGuard', () => {
  describe('with no token configured', () => {
    it.each([null, ''])('refuses every request with 403 (adminToken %p)', async (adminToken) => {
      for (const header of [undefined, `Bearer ${TOKEN}`, 'Bearer ', 'Bearer null']) {
        const err = await thrown(() => guard(adminToken).canActivate(context(header)));
        expect(err).toBeInstanceOf(ForbiddenException);
        expect((err as ForbiddenException).getStatus()).toBe(403);
        expect(err.message).toBe('admin endpoints are disabled: set ADMIN_TOKEN to enable them (the CLI works without it)');
      }
    });
  });

  describe('with a token configured', () => {
    it('lets the right token through', async () => {
      expect(await guard(TOKEN).canActivate(context(`Bearer ${TOKEN}`))).toBe(true);
    });

    it.each([
      ['no header', undefined],
      ['an empty header', ''],
      ['"Bearer" alone', 'Bearer'],
      ['"Bearer " with nothing after it', 'Bearer '],
      ['the token without a scheme', TOKEN],
      ['the Basic scheme', `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`],
      ['the Token scheme', `Token ${TOKEN}`],
      ['a header that is not a string', [`Bearer ${TOKEN}`]],
    ])('answers 401 asking for a bearer token with %s', async (_what, header) => {
      const err = await thrown(() => guard(TOKEN).canActivate(context(header)));
      expect(err).toBeInstanceOf(UnauthorizedException);
      expect((err as UnauthorizedException).getStatus()).toBe(401);
      expect(err.message).toBe('this endpoint needs Authorization: Bearer <ADMIN_TOKEN>');
    });

    it.each([
      ['a wrong token', 'Bearer not-the-token-at-all'],
      ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
      ['the token with something appended', `Bearer ${TOKEN}x`],
      ['the token in another case', `Bearer ${TOKEN.toUpperCase()}`],
      ['the token with a trailing space', `Bearer ${TOKEN} `],
      ['a very long token', `Bearer ${'x'.repeat(10_000)}`],
    ])('answers 401 "not valid" for %s', async (_what, header) => {
      const err = await thrown(() => guard(TOKEN).canActivate(context(header)));
      expect(err).toBeInstanceOf(UnauthorizedException);
      expect(err.message).toBe('the admin token is not valid');
    });

    it.each([
      ['lower-case bearer', `bearer ${TOKEN}`],
      ['two spaces after Bearer', `Bearer  ${TOKEN}`],
    ])('accepts %s (the scheme is case-insensitive, RFC 7235)', async (_what, header) => {
      expect(await guard(TOKEN).canActivate(context(header))).toBe(true);
    });

    it('never echoes the expected token in its errors', async () => {
      for (const header of [undefined, 'Bearer wrong', `Basic ${TOKEN}`]) {
        const err = await thrown(() => guard(TOKEN).canActivate(context(header)));
        expect(JSON.stringify((err as UnauthorizedException).getResponse())).not.toContain(TOKEN);
      }
    });

    it('accepts a token containing spaces and unusual characters when it matches exactly', async () => {
      const odd = 'a b:c/d+e=f?g&h<i>"j"ü';
      expect(await guard(odd).canActivate(context(`Bearer ${odd}`))).toBe(true);
      await expect(guard(odd).canActivate(context(`Bearer ${odd.slice(2)}`))).rejects.toThrow(UnauthorizedException);
    });
  });

  describe('failed authentications per client', () => {
    it('answers 429 after AUTH_FAILURES_PER_MINUTE failures in a minute, then even to the right token', async () => {
      const limited = guard(TOKEN, 3);
      for (let i = 0; i < 3; i++)
        expect(await thrown(() => limited.canActivate(context('Bearer wrong')))).toBeInstanceOf(UnauthorizedException);
      const blocked = await thrown(() => limited.canActivate(context('Bearer wrong')));
      expect((blocked as HttpException).getStatus()).toBe(429);
      expect(blocked.message).toMatch(/too many failed authentications from this client: try again in \d+ s/);
      expect(((await thrown(() => limited.canActivate(context(`Bearer ${TOKEN}`)))) as HttpException).getStatus()).toBe(429);
    });

    it('counts per client: another address is not blocked', async () => {
      const limited = guard(TOKEN, 1);
      await thrown(() => limited.canActivate(context('Bearer wrong')));
      await thrown(() => limited.canActivate(context('Bearer wrong')));
      const other = context(`Bearer ${TOKEN}`);
      (other.switchToHttp().getRequest() as { ip: string }).ip = '10.0.0.10';
      expect(await limited.canActivate(other)).toBe(true);
    });
  });
});
