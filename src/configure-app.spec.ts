import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { PinoLogger } from 'nestjs-pino';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import request from 'supertest';
import { ExpressHttpAdapter, bornWith, createHttpAdapter, helmetHeaders, logFinishedRequest, securityHeaderOptions } from './configure-app';

describe('bornWith', () => {
  it('makes objects of the base class, initialised by it, with the given prototype', () => {
    const prototype = Object.create(IncomingMessage.prototype, { extra: { value: 42 } });
    const Born = bornWith(IncomingMessage, prototype);
    const req = new Born(new Socket());
    expect(Object.getPrototypeOf(req)).toBe(prototype);
    expect(req).toBeInstanceOf(IncomingMessage);
    expect((req as IncomingMessage & { extra: number }).extra).toBe(42);
    expect(req.headers).toEqual({});
    expect(req.readable).toBe(true);
  });
});

describe('ExpressHttpAdapter', () => {
  it('serves the Express app with requests and responses born with its prototypes', async () => {
    const adapter = createHttpAdapter();
    expect(adapter).toBeInstanceOf(ExpressHttpAdapter);
    const app = adapter.getInstance() as express.Express;
    const seen: boolean[] = [];
    app.get('/x', (req, res) => {
      res.json({ path: req.path, isResponse: res instanceof ServerResponse });
    });
    adapter.initHttpServer({});
    const server = adapter.getHttpServer() as Server;
    // Before Express runs: already the app's prototypes, so its Object.setPrototypeOf changes nothing.
    server.prependListener('request', (req, res) => {
      seen.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response);
    });
    const res = await request(server).get('/x?y=1');
    expect([res.status, res.body]).toEqual([200, { path: '/x', isResponse: true }]);
    expect(seen).toEqual([true, true]);
  });

  it("leaves HTTPS and forceCloseConnections to Nest's own server", async () => {
    const adapter = createHttpAdapter();
    (adapter.getInstance() as express.Express).get('/x', (_req, res) => res.send('ok'));
    adapter.initHttpServer({ forceCloseConnections: true });
    const server = adapter.getHttpServer() as Server;
    const seen: boolean[] = [];
    server.prependListener('request', (req) => seen.push(Object.getPrototypeOf(req) === IncomingMessage.prototype));
    await request(server).get('/x').expect(200);
    expect(seen).toEqual([true]);
  });
});

describe('helmetHeaders', () => {
  /** The headers an Express app answers GET / with, less those that are not about security. */
  async function securityHeadersOf(app: express.Express): Promise<Record<string, unknown>> {
    const res = await request(app.get('/', (_req, res) => res.send('ok'))).get('/');
    const { date: _d, etag: _e, 'content-length': _l, 'content-type': _t, connection: _c, 'keep-alive': _k, ...rest } = res.headers;
    return rest;
  }

  function appSetting(precomputed: Array<[string, string]>): express.Express {
    return express()
      .use((_req: Request, res: Response, next: NextFunction) => {
        for (const [name, value] of precomputed) res.setHeader(name, value);
        next();
      })
      .disable('x-powered-by');
  }

  it.each([
    ['no options', undefined],
    ['the options for plain HTTP', securityHeaderOptions({ publicUrl: null })],
    ['the options behind HTTPS', securityHeaderOptions({ publicUrl: 'https://ml.example.com' })],
  ])('are the headers helmet() itself sets, with the same values (%s)', async (_what, options) => {
    const [a, b] = await Promise.all([
      securityHeadersOf(express().use(helmet(options))),
      securityHeadersOf(appSetting(helmetHeaders(options))),
    ]);
    expect(b).toEqual(a);
    expect(Object.keys(b)).toEqual(expect.arrayContaining(['content-security-policy', 'x-content-type-options', 'x-frame-options']));
  });
});

describe('securityHeaderOptions', () => {
  const headers = (publicUrl: string | null) =>
    Object.fromEntries(helmetHeaders(securityHeaderOptions({ publicUrl })).map(([n, v]) => [n.toLowerCase(), v]));
  const helmetDefaults = Object.fromEntries(helmetHeaders().map(([n, v]) => [n.toLowerCase(), v]));
  const HSTS = 'max-age=31536000; includeSubDomains';
  /** helmet's default CSP, upgrade-insecure-requests left out. */
  const CSP =
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';" +
    "img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline'";

  it("over plain HTTP (no PUBLIC_URL, or an http:// one): helmet's headers without upgrade-insecure-requests, HSTS and COOP", () => {
    expect(helmetDefaults['content-security-policy']).toBe(`${CSP};upgrade-insecure-requests`);
    expect(helmetDefaults['strict-transport-security']).toBe(HSTS);
    expect(helmetDefaults['cross-origin-opener-policy']).toBe('same-origin');
    const {
      'content-security-policy': _csp,
      'strict-transport-security': _hsts,
      'cross-origin-opener-policy': _coop,
      ...others
    } = helmetDefaults;
    for (const publicUrl of [null, 'http://ml.example.com', 'http://10.0.0.7:5000']) {
      const plain = headers(publicUrl);
      expect(plain['content-security-policy']).toBe(CSP);
      expect(plain).not.toHaveProperty('strict-transport-security');
      expect(plain).not.toHaveProperty('cross-origin-opener-policy');
      // Everything else helmet sets stays, with helmet's values.
      expect(plain).toEqual({ ...others, 'content-security-policy': CSP });
    }
  });

  it("behind HTTPS (an https:// PUBLIC_URL): helmet's HSTS and COOP too, the same CSP", () => {
    const { 'content-security-policy': _csp, ...others } = helmetDefaults;
    const secure = headers('https://ml.example.com');
    expect(secure['strict-transport-security']).toBe(HSTS);
    expect(secure).toEqual({ ...others, 'content-security-policy': CSP });
  });

  it('lets scripts come only from the service itself', () => {
    for (const publicUrl of [null, 'https://ml.example.com']) {
      const scriptSrc = headers(publicUrl)
        ['content-security-policy'].split(';')
        .filter((d) => d.startsWith('script-src'));
      expect(scriptSrc).toEqual(["script-src 'self'", "script-src-attr 'none'"]);
    }
  });
});

describe('logFinishedRequest', () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const previous = PinoLogger.root;

  function appLoggingAt(level: string) {
    // The logger as AppModule's LoggerModule builds it: pino-http's serializers, redaction.
    (PinoLogger as unknown as { root: unknown }).root = pinoHttp({ level, redact: ['req.headers.authorization'] }, sink).logger;
    return express().use((req: Request, res: Response) => {
      (req as Request & { id: string }).id = 'rid-7';
      res.once('finish', () => logFinishedRequest(req, res, 3.4));
      const status = Number(req.path.slice(1));
      res.status(status).json({ status });
    });
  }

  afterAll(() => {
    (PinoLogger as unknown as { root: unknown }).root = previous;
  });

  beforeEach(() => {
    lines.length = 0;
  });

  it('at info, logs 4xx at warn and 5xx at error, with the request id, redacted, and nothing for a 2xx', async () => {
    const app = appLoggingAt('info');
    await request(app).get('/200');
    await request(app).get('/404').set('Authorization', 'Bearer secret');
    await request(app).get('/503');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: 'request completed',
      responseTime: 3,
      req: { id: 'rid-7', method: 'GET', url: '/404', headers: { authorization: '[Redacted]' } },
      res: { statusCode: 404 },
    });
    expect(lines[1]).toMatchObject({
      level: 50,
      msg: 'request errored',
      req: { id: 'rid-7' },
      res: { statusCode: 503 },
      err: { message: 'failed with status code 503' },
    });
  });

  it('at debug, also logs successful requests', async () => {
    const app = appLoggingAt('debug');
    await request(app).get('/200');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([
      expect.objectContaining({ level: 20, msg: 'request completed', res: expect.objectContaining({ statusCode: 200 }) }),
    ]);
  });
});
