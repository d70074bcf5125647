import { HttpException, ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';
import { DatasetSchema } from '../data/dataset-schema';
import { MAX_CATEGORY_LENGTH, compileFeatureRowRules, validatorStringLength } from '../data/feature-row-rules';
import { parseSchema } from '../data/schema-file';
import { BANK_SCHEMA, EXAMPLE_CLIENT } from '../data/testing/bank-schema';
import { PredictRequestDto, bindRequestDtos, decorateFeatureRow } from './dto/predict-request.dto';
import { VALIDATION_OPTIONS } from './fast-path-validation.pipe';

const EXAMPLE: Record<string, unknown> = { ...EXAMPLE_CLIENT };
const RULES = compileFeatureRowRules(BANK_SCHEMA);
bindRequestDtos(BANK_SCHEMA, RULES);
const featureRecordProblems = (value: unknown, prefix?: string) => RULES.problems(value, prefix);
const isExactFeatureRecord = (value: unknown) => RULES.isExact(value);

/** The messages Nest's ValidationPipe gives for a row as a body of `dto` ([] when it accepts it). */
async function classValidatorProblems(jsonText: string, dto: new () => object = PredictRequestDto): Promise<string[]> {
  try {
    await new ValidationPipe(VALIDATION_OPTIONS).transform(JSON.parse(jsonText), { type: 'body', metatype: dto });
    return [];
  } catch (err) {
    return ((err as HttpException).getResponse() as { message: string[] }).message;
  }
}

const anyValue = fc.oneof(
  fc.constantFrom(null, '', true, 0, -0, 0.5, 16, 120, 1000, 1e308, 'no', 'x'.repeat(64), 'x'.repeat(65), '😀'.repeat(64), '😀'.repeat(65)),
  fc.constantFrom('a\uFE0F'.repeat(33), '\uFE0F'.repeat(65), 'é'.repeat(65)),
  fc.string({ maxLength: 70 }),
  fc.integer({ min: -2000, max: 12_000 }),
  fc.double({ noNaN: true }),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.object({ maxDepth: 1, maxKeys: 2 }),
);

/** Rows as they arrive: each field sometimes valid (from the example), sometimes anything, sometimes absent. */
const rows = fc
  .tuple(
    fc.record(Object.fromEntries(BANK_SCHEMA.featureNames.map((name) => [name, fc.oneof(fc.constant(EXAMPLE[name]), anyValue)])), {
      requiredKeys: [],
    }),
    fc.dictionary(fc.constantFrom('duration', 'extra', 'Age'), anyValue, { maxKeys: 3 }),
  )
  .map(([fields, extra]) => ({ ...extra, ...fields }));

describe("featureRecordProblems: the ValidationPipe's messages for PredictRequestDto, without it", () => {
  it('a valid row has none', () => {
    expect(featureRecordProblems(EXAMPLE)).toEqual([]);
  });

  it("names each broken field once, unknown properties first, in the DTO's order, with a prefix", () => {
    expect(featureRecordProblems({ ...EXAMPLE, age: '30', duration: 1, month: '' }, 'instances.3.')).toEqual([
      'instances.3.property duration should not exist',
      'instances.3.age must be an integer number',
      'instances.3.month should not be empty',
    ]);
  });

  it('a row that is not an object', () => {
    for (const value of [null, undefined, 'x', 1, [EXAMPLE]]) expect(featureRecordProblems(value, 'p.')).toEqual(['p.must be an object']);
  });

  it('agrees with class-validator on generated rows, word for word', async () => {
    await fc.assert(
      fc.asyncProperty(rows, async (row) => {
        const text = JSON.stringify(row);
        expect(featureRecordProblems(JSON.parse(text))).toEqual(await classValidatorProblems(text));
      }),
      { numRuns: 600 },
    );
  });

  it('reports own __proto__ / constructor / prototype keys as unknown (they are not stripped silently)', () => {
    const text = `{"__proto__":1,"constructor":2,"prototype":3,${JSON.stringify(EXAMPLE).slice(1)}`;
    expect(featureRecordProblems(JSON.parse(text))).toEqual([
      'property __proto__ should not exist',
      'property constructor should not exist',
      'property prototype should not exist',
    ]);
  });
});

describe('isExactFeatureRecord', () => {
  it("is true for a plain object of exactly the schema's valid features, in any order", () => {
    expect(isExactFeatureRecord({ ...EXAMPLE })).toBe(true);
    expect(isExactFeatureRecord(Object.fromEntries(Object.entries(EXAMPLE).reverse()))).toBe(true);
  });

  it('is false for anything else', () => {
    const { age: _age, ...missing } = EXAMPLE;
    for (const value of [
      missing,
      { ...EXAMPLE, age: 15 },
      { ...EXAMPLE, duration: 1 },
      JSON.parse(`{"__proto__":1,${JSON.stringify(EXAMPLE).slice(1)}`),
      Object.assign(Object.create({ inherited: 1 }), EXAMPLE),
      Object.assign(new (class Row {})(), EXAMPLE),
      [EXAMPLE],
      null,
      'x',
    ]) {
      expect(isExactFeatureRecord(value)).toBe(false);
    }
  });

  it('implies no problems, on generated rows', () => {
    fc.assert(
      fc.property(rows, (row) => {
        const value = JSON.parse(JSON.stringify(row));
        if (isExactFeatureRecord(value)) expect(featureRecordProblems(value)).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });
});

describe("validatorStringLength counts as class-validator's @MaxLength does", () => {
  it.each([
    ['ascii', 'blue-collar', 11],
    ['surrogate pairs', '😀😀', 2],
    ['a variation selector after a character', 'a\uFE0Fb', 2],
    ['a lone variation selector', '\uFE0F', 1],
    ['accents (one code unit each)', 'éé', 2],
  ])('%s', (_name, value, length) => {
    expect(validatorStringLength(value)).toBe(length);
  });

  it('the category limit uses it', () => {
    const max = MAX_CATEGORY_LENGTH;
    // 64 emoji pass the length rule, so the next one (the declared categories) speaks.
    expect(featureRecordProblems({ ...EXAMPLE, job: '😀'.repeat(max) })[0]).toMatch(/^job must be one of the following values: /);
    expect(featureRecordProblems({ ...EXAMPLE, job: '😀'.repeat(max + 1) })).toEqual([
      `job must be shorter than or equal to ${max} characters`,
    ]);
  });
});

/** Another dataset: bounds on some numbers only, categories declared on one column and learned on the other. */
const OTHER: DatasetSchema = parseSchema(
  {
    name: 'other',
    positive_label: '>50K',
    columns: [
      { name: 'hours', type: 'integer', minimum: 1, maximum: 99 },
      { name: 'ratio', type: 'numeric' },
      { name: 'sector', type: 'categorical', categories: ['private', 'public'] },
      { name: 'city', type: 'categorical' },
      { name: 'income', role: 'target', categories: ['<=50K', '>50K'] },
    ],
  },
  'other.schema.json',
);

describe('another schema: compiled rules and the DTO built from it agree', () => {
  class OtherRowDto {}
  decorateFeatureRow(OtherRowDto.prototype, OTHER);
  const rules = compileFeatureRowRules(OTHER);
  const valid = { hours: 40, ratio: -0.5, sector: 'public', city: 'Lyon' };
  const otherRows = fc
    .tuple(
      fc.record(
        Object.fromEntries(OTHER.featureNames.map((n) => [n, fc.oneof(fc.constant((valid as Record<string, unknown>)[n]), anyValue)])),
        {
          requiredKeys: [],
        },
      ),
      fc.dictionary(fc.constantFrom('income', 'extra', 'age'), anyValue, { maxKeys: 2 }),
    )
    .map(([fields, extra]) => ({ ...extra, ...fields }));

  it('names the field and, for an undeclared category, the allowed values', () => {
    expect(rules.problems({ ...valid, sector: 'army', hours: 0 })).toEqual([
      'hours must not be less than 1',
      'sector must be one of the following values: private, public',
    ]);
    expect(rules.isExact(valid)).toBe(true);
  });

  it('agrees with class-validator on generated rows, word for word', async () => {
    await fc.assert(
      fc.asyncProperty(otherRows, async (row) => {
        const text = JSON.stringify(row);
        expect(rules.problems(JSON.parse(text))).toEqual(await classValidatorProblems(text, OtherRowDto));
      }),
      { numRuns: 400 },
    );
  });
});
