import express from 'express';
import type { Request, Response } from 'express';
import request from 'supertest';
import { isBatchPath, jsonBodyErrorHandler, jsonBodyParser, parseJsonBody } from './http-body';

/** An app that answers the body it parsed (or the error in Nest's shape). */
function echoApp() {
  const app = express();
  app.use(jsonBodyParser());
  app.use(jsonBodyErrorHandler());
  app.post('/{*path}', (req: Request, res: Response) => {
    res.json({ body: req.body === undefined ? '(undefined)' : req.body });
  });
  return app;
}

const BODIES = [
  '{"a":1,"b":[true,null,"é"]}',
  '[1,2]',
  '',
  '   {"a":1}',
  '\n\t{"a":1}\n',
  '\ufeff{"a":1}',
  '"a string"',
  '42',
  'null',
  'true',
  '   ',
  '{"a":',
  '{"a":1}}',
  '{a:1}',
  '{"a": NaN}',
  '{"age": Infinity}',
  'age=30&job=admin.',
  '{"__proto__":{"x":1}}',
  '{"a":"\\ud800"}',
  '  x',
];

describe('jsonBodyParser: the fast reader answers as body-parser does', () => {
  const app = echoApp();
  // 'application/json' takes the fast reader; an upper-case charset sends the same bytes to body-parser.
  const send = (type: string, body: string, url = '/predict') => request(app).post(url).set('Content-Type', type).send(body);

  it.each(BODIES)('%j', async (body) => {
    const viaBodyParser = await send('application/json; charset=UTF-8', body);
    for (const type of ['application/json', 'application/json; charset=utf-8']) {
      const fast = await send(type, body);
      expect([fast.status, fast.body]).toEqual([viaBodyParser.status, viaBodyParser.body]);
    }
  });

  it('the answers are the documented ones', async () => {
    expect((await send('application/json', '\ufeff {"a":1}')).body).toEqual({ body: { a: 1 } });
    expect((await send('application/json', '')).body).toEqual({ body: {} });
    for (const bad of ['{"a":', '"a string"', '  x', 'age=30']) {
      const res = await send('application/json', bad);
      expect([res.status, res.body.error]).toEqual([400, 'Bad Request']);
      expect(res.body.message).toMatch(/^request body is not valid JSON: /);
    }
  });

  it('a body in many chunks, with characters split between them, reads the same', async () => {
    const body = JSON.stringify({ text: 'aé€😀'.repeat(40_000), n: [1, 2, 3] });
    const viaBodyParser = await send('application/json; charset=UTF-8', body);
    const fast = await send('application/json', body);
    expect(fast.status).toBe(200);
    expect(fast.body).toEqual(viaBodyParser.body);
    expect(fast.body.body.text).toBe('aé€😀'.repeat(40_000));
  });

  it('a body over the limit is a 413 naming it, by either reader', async () => {
    const big = JSON.stringify({ x: 'x'.repeat(1024 * 1024) });
    for (const type of ['application/json', 'application/json; charset=UTF-8']) {
      const res = await send(type, big);
      expect([res.status, res.body]).toEqual([
        413,
        { statusCode: 413, message: 'request body is larger than the 1mb limit', error: 'Payload Too Large' },
      ]);
    }
    const batch = await send('application/json', big, '/predict/batch');
    expect(batch.status).toBe(200);
  });

  it('leaves other content types alone, and other charsets to body-parser', async () => {
    const text = await request(app).post('/predict').set('Content-Type', 'text/plain').send('hello');
    expect(text.body).toEqual({ body: '(undefined)' });
    const latin1 = await request(app).post('/predict').set('Content-Type', 'application/json; charset=latin1').send('{"a":1}');
    expect(latin1.status).toBe(415);
  });
});

describe('parseJsonBody', () => {
  it('parses objects and arrays, and an empty body as {}', () => {
    expect(parseJsonBody('{"a":[1]}')).toEqual({ a: [1] });
    expect(parseJsonBody('[]')).toEqual([]);
    expect(parseJsonBody('')).toEqual({});
    expect(parseJsonBody('\ufeff {"a":1}')).toEqual({ a: 1 });
  });

  it('rejects anything but an object or an array, naming the first character', () => {
    expect(() => parseJsonBody('"x"')).toThrow(SyntaxError);
    expect(() => parseJsonBody('  x')).toThrow(/Unexpected token 'x'/);
  });
});

describe('isBatchPath', () => {
  it.each([
    ['/predict/batch', true],
    ['/predict/batch/', true],
    ['/PREDICT/Batch', true],
    ['/predict/batch/more', true],
    ['/predict/batchx', false],
    ['/predict', false],
    ['/x/predict/batch', false],
    ['/feedback/batch', true],
    ['/feedback', false],
  ])('%s -> %s', (path, expected) => {
    expect(isBatchPath(path)).toBe(expected);
  });
});
