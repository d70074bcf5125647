import { BANK_SCHEMA, EXAMPLE_CLIENT } from '../../data/testing/bank-schema';
import fc from 'fast-check';
import { FeatureRecord } from '../../data/dataset-schema';
import { PredictionLogEntry } from '../prediction-log-entry';
import { predictionLogLine } from './prediction-log-line';

const INPUT: FeatureRecord = { ...EXAMPLE_CLIENT };

/** An entry as PredictionService builds it: keys in the interface's order, input in BANK_SCHEMA.featureNames order. */
function entry(overrides: Partial<PredictionLogEntry> = {}, input: Partial<Record<string, unknown>> = {}): PredictionLogEntry {
  const record = Object.fromEntries(BANK_SCHEMA.featureNames.map((name) => [name, name in input ? input[name] : INPUT[name]]));
  return {
    request_id: 'b7c1e0a2-1f1e-4c33-9f0e-1d2c3b4a5f6e-7',
    timestamp: '2026-11-26T12:00:00.123Z',
    model_version: 'v1',
    input: record as FeatureRecord,
    prediction: 0,
    probability: 0.38172640939112046,
    latency_ms: 0.041233,
    ...overrides,
  };
}

const TRICKY_STRINGS = [
  '',
  'plain',
  'quote " inside',
  'back\\slash',
  'new\nline\r\ttab',
  '\u0000\u0001\u001f control',
  '\u007f\u0080\u009f',
  '\u2028\u2029 separators',
  'unicode: é ü ß 中文 😀',
  '\ud800 lone high surrogate',
  'lone low \udc00',
  '</script><!--',
  '{"json":"inside"}',
];

describe('predictionLogLine', () => {
  it('is JSON.stringify(entry) for a served prediction', () => {
    const e = entry();
    expect(predictionLogLine(e)).toBe(JSON.stringify(e));
    expect(JSON.parse(predictionLogLine(e))).toEqual(e);
  });

  it.each(TRICKY_STRINGS)('escapes the string %j exactly as JSON.stringify does, in every string field', (text) => {
    const e = entry({ request_id: text, timestamp: text, model_version: text }, { job: text, month: text, poutcome: text });
    expect(predictionLogLine(e)).toBe(JSON.stringify(e));
  });

  it('writes numbers as JSON does: negative zero, tiny, huge, integers', () => {
    for (const x of [-0, 0, 1, -1.5, 5e-324, 1e-7, 123456789012345680000, 1.7976931348623157e308, 0.1 + 0.2]) {
      const e = entry({ probability: x, latency_ms: x }, { age: x, emp_var_rate: x });
      expect(predictionLogLine(e)).toBe(JSON.stringify(e));
    }
  });

  it('falls back to JSON.stringify for values it does not expect (still one valid JSON line)', () => {
    const odd = [
      entry({ probability: Number.NaN }),
      entry({ latency_ms: Number.POSITIVE_INFINITY }),
      entry({}, { age: '30' }),
      entry({}, { job: 7 }),
      entry({}, { euribor3m: null }),
      entry({}, { month: undefined }),
      entry({ request_id: 42 as unknown as string }),
    ];
    for (const e of odd) {
      expect(predictionLogLine(e)).toBe(JSON.stringify(e));
      expect(predictionLogLine(e)).not.toContain('\n');
    }
  });

  it('matches JSON.stringify on generated entries', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom(...TRICKY_STRINGS));
    const number = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
    fc.assert(
      fc.property(text, text, text, text, number, number, number, fc.constantFrom(0, 1), (id, ts, version, job, age, p, ms, prediction) => {
        const e = entry(
          { request_id: id, timestamp: ts, model_version: version, probability: p, latency_ms: ms, prediction: prediction as 0 | 1 },
          { job, age },
        );
        expect(predictionLogLine(e)).toBe(JSON.stringify(e));
      }),
      { numRuns: 500 },
    );
  });
});
