import { BANK_SCHEMA, EXAMPLE_CLIENT } from '../data/testing/bank-schema';
import { ArgumentMetadata, HttpException, ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';

import { PredictBatchRequestDto } from './dto/predict-batch.dto';
import { PredictRequestDto } from './dto/predict-request.dto';
import { FastPathValidationPipe, VALIDATION_OPTIONS } from './fast-path-validation.pipe';
import { FEATURE_RULES } from '../data/testing/bank-schema';
import { compileFeatureRowRules } from '../data/feature-row-rules';
import { bindRequestDtos } from './dto/predict-request.dto';

// The request DTO is built from the schema at start; here, once for the spec.
bindRequestDtos(BANK_SCHEMA, compileFeatureRowRules(BANK_SCHEMA));

const EXAMPLE: Record<string, unknown> = { ...EXAMPLE_CLIENT };

type Outcome = { accepted: unknown } | { status: number; body: unknown };

/** What a pipe makes of a body: the value handed to the handler (as JSON data), or the error response. */
async function outcome(pipe: ValidationPipe, jsonText: string | undefined, metatype: ArgumentMetadata['metatype']): Promise<Outcome> {
  // Each pipe gets its own copy: Nest's pipe deletes keys in place.
  const value: unknown = jsonText === undefined ? undefined : JSON.parse(jsonText);
  try {
    const accepted: unknown = await pipe.transform(value, { type: 'body', metatype, data: undefined });
    return { accepted: JSON.parse(JSON.stringify(accepted)) };
  } catch (err) {
    if (!(err instanceof HttpException)) throw err;
    return { status: err.getStatus(), body: err.getResponse() };
  }
}

const reference = new ValidationPipe(VALIDATION_OPTIONS);
const fast = new FastPathValidationPipe();

async function expectSameOutcome(jsonText: string | undefined, metatype: ArgumentMetadata['metatype']): Promise<Outcome> {
  const expected = await outcome(reference, jsonText, metatype);
  await expect(outcome(fast, jsonText, metatype)).resolves.toEqual(expected);
  return expected;
}

/** A valid value for a field, edges included. */
function validValue(name: string): fc.Arbitrary<unknown> {
  const rule = FEATURE_RULES[name as keyof typeof FEATURE_RULES];
  return rule.kind === 'category'
    ? fc.constantFrom(...BANK_SCHEMA.feature(name)!.categories!)
    : rule.kind === 'integer'
      ? fc.integer({ min: rule.min, max: rule.max })
      : fc.double({ min: rule.min, max: rule.max, noNaN: true });
}

/** A value for a field: usually a valid one, often a broken one of every kind. */
function fieldValue(name: string): fc.Arbitrary<unknown> {
  const valid = validValue(name);
  const broken = fc.oneof(
    fc.constantFrom(null, '', true, 0.5, -1e9, 1e308, 'x'.repeat(65), '😀'.repeat(40), '😀'.repeat(65), 'a\uFE0F'.repeat(40)),
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  );
  return fc.oneof({ weight: 8, arbitrary: valid }, { weight: 2, arbitrary: broken });
}

/** A request row: the 19 fields (some missing or broken), sometimes with extra keys; a third are valid. */
const requestRow: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record(Object.fromEntries(BANK_SCHEMA.featureNames.map((name) => [name, validValue(name)]))),
  fc.record(Object.fromEntries(BANK_SCHEMA.featureNames.map((name) => [name, fieldValue(name)])), {
    requiredKeys: BANK_SCHEMA.featureNames.filter((_, i) => i % 4 !== 0),
  }),
  fc
    .tuple(
      fc.record(Object.fromEntries(BANK_SCHEMA.featureNames.map((name) => [name, fieldValue(name)]))),
      fc.dictionary(fc.constantFrom('duration', 'y', 'extra', 'AGE'), fc.integer(), {
        maxKeys: 2,
      }),
    )
    .map(([fields, extra]) => ({ ...fields, ...extra })),
);

/** JSON text of a value, with own `__proto__` keys kept (JSON.stringify keeps them, JSON.parse makes them own). */
const text = (value: unknown) => JSON.stringify(value);

describe('FastPathValidationPipe on PredictRequestDto: exactly what the ValidationPipe does', () => {
  it('accepts the example as the plain body itself', async () => {
    const body = { ...EXAMPLE };
    await expect(fast.transform(body, { type: 'body', metatype: PredictRequestDto })).resolves.toBe(body);
    await expectSameOutcome(text(EXAMPLE), PredictRequestDto);
  });

  it.each([
    [
      'a missing field',
      (() => {
        const { age: _a, ...rest } = EXAMPLE;
        return rest;
      })(),
    ],
    ['null', { ...EXAMPLE, euribor3m: null }],
    ['an extra field', { ...EXAMPLE, duration: 100 }],
    ['extra fields and broken ones together', { zzz: 1, ...EXAMPLE, age: '30', aaa: 2, month: '' }],
    ['a numeric string', { ...EXAMPLE, age: '30' }],
    ['a fractional count', { ...EXAMPLE, campaign: 1.5 }],
    ['out of range', { ...EXAMPLE, age: 500, pdays: -1 }],
    ['a nested object', { ...EXAMPLE, job: { $gt: '' } }],
    ['a long category', { ...EXAMPLE, job: 'x'.repeat(65) }],
    ['a long category of emoji (counted as class-validator counts)', { ...EXAMPLE, job: '😀'.repeat(40) }],
    ['an empty object', {}],
    ['an array', [EXAMPLE]],
    ['an empty array', []],
  ])('%s', async (_name, body) => {
    await expectSameOutcome(text(body), PredictRequestDto);
  });

  it.each(['__proto__', 'constructor', 'prototype', 'valueOf'])(
    'a body with an own %s key is refused (the plain ValidationPipe would strip it silently)',
    async (key) => {
      const jsonText = `{"${key}":{"isAdmin":true},${text(EXAMPLE).slice(1)}`;
      await expect(fast.transform(JSON.parse(jsonText), { type: 'body', metatype: PredictRequestDto })).rejects.toMatchObject({
        response: { statusCode: 400, message: [`property ${key} should not exist`] },
      });
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    },
  );

  it('a body nested thousands of levels deep is a 400, not a stack overflow', async () => {
    const deep = JSON.parse(`{"age":${'['.repeat(3000)}${']'.repeat(3000)}}`);
    await expect(fast.transform(deep, { type: 'body', metatype: PredictRequestDto })).rejects.toMatchObject({
      response: { statusCode: 400, message: ['request is nested more than 32 levels deep'] },
    });
  });

  it('no body at all (not JSON) is missing every field', async () => {
    const expected = await expectSameOutcome(undefined, PredictRequestDto);
    expect(expected).toMatchObject({ status: 400, body: { message: expect.arrayContaining(['age is required']) } });
  });

  it('generated rows, valid and not', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(requestRow, async (value) => {
        const expected = await expectSameOutcome(text(value), PredictRequestDto);
        if ('accepted' in expected) accepted++;
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});

describe('FastPathValidationPipe on PredictBatchRequestDto: exactly what the ValidationPipe does', () => {
  it('accepts a well-formed batch as the body itself, rows uncopied', async () => {
    const body = { instances: [{ ...EXAMPLE }, { anything: 'the service checks rows' }] };
    await expect(fast.transform(body, { type: 'body', metatype: PredictBatchRequestDto })).resolves.toBe(body);
  });

  it.each([
    ['rows of any kind', { instances: [EXAMPLE, 'x', null, [1], { a: 1 }] }],
    ['no instances', {}],
    ['instances not a list', { instances: { a: 1 } }],
    ['an empty list', { instances: [] }],
    ['too many rows', { instances: Array.from({ length: 10_001 }, () => 1) }],
    ['the most rows', { instances: Array.from({ length: 10_000 }, () => 1) }],
    ['an unknown top-level field', { instances: [EXAMPLE], extra: true }],
    ['a body that is a list', [{ instances: [EXAMPLE] }]],
  ])('%s', async (_name, body) => {
    await expectSameOutcome(text(body), PredictBatchRequestDto);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a batch with an own top-level %s key is refused', async (key) => {
    const body = JSON.parse(`{"${key}":1,"instances":[${text(EXAMPLE)}]}`);
    await expect(fast.transform(body, { type: 'body', metatype: PredictBatchRequestDto })).rejects.toMatchObject({
      response: { statusCode: 400, message: [`property ${key} should not exist`] },
    });
  });

  it('no body at all', async () => {
    await expectSameOutcome(undefined, PredictBatchRequestDto);
  });
});

describe('FastPathValidationPipe on other DTOs', () => {
  class OtherDto {}

  it('is the ValidationPipe itself', async () => {
    await expectSameOutcome('{"a":1}', OtherDto);
    await expectSameOutcome('{}', OtherDto);
  });
});
