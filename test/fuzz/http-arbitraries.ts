import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';
/**
 * Generators (fast-check) and oracles for the HTTP fuzz spec. Every generated case carries the raw
 * JSON text it sends: `__proto__` must reach the server as an own key, and -0 or 1E2 as written.
 * The oracles restate the documented contract (README "Input rules", FEATURE_RULES, the DTOs)
 * independently of the code under test: the spec compares the server's status with them.
 */
import fc from 'fast-check';

import { FEATURE_RULES } from '../../src/data/testing/bank-schema';

// validator.js ships no types here; class-validator's @IsISO8601({strict: true}) is this function.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const isISO8601 = require('validator/lib/isISO8601').default as (text: string, options?: { strict?: boolean }) => boolean;

export type Classes = Readonly<Record<string, readonly string[]>>;

// ---------------------------------------------------------------------------------------------
// Raw JSON text

/** A JSON number literal sent exactly as written (-0, 1E2, 1e999 ...). */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** Sets an own, enumerable property, even `__proto__` (plain assignment would set the prototype). */
export function own<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** JSON text of a value: own keys only (including an own `__proto__`), -0 as "-0", RawNumber as is. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawNumber) return value.text;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${toJsonText((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The prototype-pollution keys the generators put in bodies and queries as own keys. */
export const POLLUTION_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'valueOf', 'toString', 'hasOwnProperty'];

/**
 * Keys named like a prototype member: `prototype` and every member of Object.prototype. Nest's
 * ValidationPipe and class-transformer would skip them silently, so the server refuses them
 * itself, at any depth of a body or query (src/common/json-safety.ts).
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/** Whether a parsed JSON value holds one of PROTOTYPE_KEYS as an own key, at any depth. */
export function hasPrototypeKey(value: unknown, depth = 0): boolean {
  if (depth > 400 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => hasPrototypeKey(v, depth + 1));
  return Object.keys(value).some((k) => PROTOTYPE_KEYS.has(k) || hasPrototypeKey((value as Record<string, unknown>)[k], depth + 1));
}

// ---------------------------------------------------------------------------------------------
// Oracles

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ownValue = (o: Record<string, unknown>, k: string) => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);

/** The documented contract of one /predict body (or one /predict/batch row). */
export function isValidRecord(value: unknown, classes: Classes): boolean {
  if (!isPlainObject(value)) return false;
  const allowed = new Set<string>(BANK_SCHEMA.featureNames);
  if (Object.keys(value).some((k) => !allowed.has(k))) return false;
  return BANK_SCHEMA.featureNames.every((name) => {
    const rule = FEATURE_RULES[name];
    const v = ownValue(value, name);
    if (rule.kind === 'category') return typeof v === 'string' && classes[name].includes(v);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < rule.min || v > rule.max) return false;
    return rule.kind === 'number' || Number.isInteger(v);
  });
}

export function isValidBatch(value: unknown, classes: Classes): boolean {
  if (!isPlainObject(value) || Object.keys(value).some((k) => k !== 'instances')) return false;
  const rows = ownValue(value, 'instances');
  return Array.isArray(rows) && rows.length >= 1 && rows.length <= 10_000 && rows.every((r) => isValidRecord(r, classes));
}

/** REQUEST_ID_PATTERN as documented: letters, digits, `._:-`, up to 128 characters. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** An incoming X-Request-Id is used when it has at most 100 such characters (room for `-<row>`). */
export const INCOMING_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function isValidFeedback(value: unknown): boolean {
  if (!isPlainObject(value) || Object.keys(value).some((k) => k !== 'request_id' && k !== 'actual')) return false;
  const id = ownValue(value, 'request_id');
  const actual = ownValue(value, 'actual');
  return typeof id === 'string' && REQUEST_ID.test(id) && (actual === 'yes' || actual === 'no');
}

export function isValidFeedbackBatch(value: unknown): boolean {
  if (!isPlainObject(value) || Object.keys(value).some((k) => k !== 'items')) return false;
  const items = ownValue(value, 'items');
  return Array.isArray(items) && items.length >= 1 && items.length <= 10_000 && items.every(isValidFeedback);
}

/** Strings @IsISO8601({strict: true}) accepts but `new Date()` cannot read (a defect found, fixed: 400, not 500). */
export function isUnparsableIsoString(text: string): boolean {
  return isISO8601(text, { strict: true }) && Number.isNaN(Date.parse(text));
}

export type QueryPairs = Array<[string, string]>;

const integerInRange = (text: string, min: number, max: number) => {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max;
};

/** 'ok' (200) or 'bad' (400). */
export type QueryVerdict = 'ok' | 'bad';

function queryShape(pairs: QueryPairs, allowed: readonly string[]): QueryVerdict | Map<string, string> {
  const keys = pairs.map(([k]) => k);
  if (keys.some((k) => PROTOTYPE_KEYS.has(k) || !allowed.includes(k))) return 'bad';
  if (new Set(keys).size !== keys.length) return 'bad'; // a repeated key arrives as an array
  return new Map(pairs);
}

export function driftQueryVerdict(pairs: QueryPairs, historySize: number): QueryVerdict {
  const shape = queryShape(pairs, ['window', 'from', 'to']);
  if (!(shape instanceof Map)) return shape;
  const window = shape.get('window');
  const from = shape.get('from');
  const to = shape.get('to');
  if (window !== undefined && !integerInRange(window, 1, Number.MAX_SAFE_INTEGER)) return 'bad';
  for (const date of [from, to]) {
    if (date !== undefined && !(isISO8601(date, { strict: true }) && !Number.isNaN(Date.parse(date)))) return 'bad';
  }
  if (from !== undefined || to !== undefined) {
    if (window !== undefined) return 'bad';
    if (from !== undefined && to !== undefined && Date.parse(from) > Date.parse(to)) return 'bad';
    return 'ok';
  }
  return window === undefined || Number(window) <= historySize ? 'ok' : 'bad';
}

export function performanceQueryVerdict(pairs: QueryPairs, historySize: number): QueryVerdict {
  const shape = queryShape(pairs, ['window']);
  if (!(shape instanceof Map)) return shape;
  const window = shape.get('window');
  return window === undefined || integerInRange(window, 1, historySize) ? 'ok' : 'bad';
}

export function eventsQueryVerdict(pairs: QueryPairs): QueryVerdict {
  const shape = queryShape(pairs, ['limit']);
  if (!(shape instanceof Map)) return shape;
  const limit = shape.get('limit');
  return limit === undefined || integerInRange(limit, 1, 10_000) ? 'ok' : 'bad';
}

// ---------------------------------------------------------------------------------------------
// Values

/** Numbers at the edges of IEEE 754 and of JSON. */
export const EDGE_NUMBERS: readonly number[] = [
  -0,
  0,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 1,
  -(Number.MAX_SAFE_INTEGER + 1),
  5e-324,
  -5e-324,
  0.1 + 0.2,
  Number.MAX_VALUE,
  Number.EPSILON,
  2 ** 31,
  -(2 ** 31),
];

/** Number literals as a client may write them (parsed by JSON.parse on both sides). */
const NUMBER_LITERALS = [
  '-0',
  '-0.0',
  '0e0',
  '1E2',
  '1e-7',
  '100.000',
  '1e999',
  '-1e999',
  '5e-324',
  '4.9e-324',
  '123456789012345678901234567890',
];

const unicodeSamples = [
  '\u0000',
  '\ud800', // a lone surrogate
  '\udfff',
  '😀',
  'm\u0430y', // Cyrillic a: looks like "may"
  'MAY',
  ' may',
  'may\n',
  'ma\u0301y',
  '\u202emay', // right-to-left override
  '\ufeffmay',
  'ｍａｙ',
  '\u{10ffff}',
];

export const anyUnicodeString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...unicodeSamples),
);

/** A JSON value of bounded depth (deep nesting is a test of its own). */
export const smallJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3, depthSize: 'small' });

/** Nested objects or arrays, 2 to `maxDepth` levels. */
export function nested(maxDepth: number): fc.Arbitrary<unknown> {
  return fc.tuple(fc.integer({ min: 2, max: maxDepth }), fc.boolean(), smallJson).map(([depth, arrays, leaf]) => {
    let v: unknown = leaf;
    for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
    return v;
  });
}

/** Strings of 1 KB .. `maxBytes` (one repeated unit keeps generation cheap). */
export function hugeString(maxBytes: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 1024, max: maxBytes }), fc.constantFrom('a', 'é', '€', '😀', '"', '\\', '\u0000', 'may;'))
    .map(([n, unit]) => unit.repeat(Math.max(1, Math.floor(n / Buffer.byteLength(unit)))));
}

/** Values of the wrong type for any field. */
export const typeConfusedValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer().map(String), // "30"
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
  fc.boolean(),
  fc.constant(null),
  fc.array(smallJson, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), smallJson, { maxKeys: 3 }),
  fc.constant({}),
  fc.constant([]),
  fc.constant(''),
);

// ---------------------------------------------------------------------------------------------
// Bodies

export type Record19 = Record<string, unknown>;

/** Numeric fields: inside the range, its exact edges, -0 and the tiniest doubles where they fit. */
function numericValue(name: string): fc.Arbitrary<unknown> {
  const rule = FEATURE_RULES[name as keyof typeof FEATURE_RULES];
  if (rule.kind === 'category') throw new Error(`${name} is not numeric`);
  if (rule.kind === 'integer') {
    return fc.oneof(fc.integer({ min: rule.min, max: rule.max }), fc.constantFrom(rule.min, rule.max));
  }
  const inRange = EDGE_NUMBERS.filter((x) => x >= rule.min && x <= rule.max);
  return fc.oneof(
    { weight: 6, arbitrary: fc.double({ min: rule.min, max: rule.max, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(rule.min, rule.max, ...inRange) },
  );
}

/** A body the documented contract accepts: every field in range, categories the model knows. */
export function validRecord(classes: Classes): fc.Arbitrary<Record19> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of BANK_SCHEMA.categoricalFeatures) fields[name] = fc.constantFrom(...classes[name]);
  for (const name of BANK_SCHEMA.numericFeatures) fields[name] = numericValue(name);
  return fc.record(fields) as fc.Arbitrary<Record19>;
}

/** One field made wrong: missing, null, out of range, wrong type, unknown category, or an extra key. */
function oneFieldWrong(classes: Classes): fc.Arbitrary<Record19> {
  const wrongFor = (name: string): fc.Arbitrary<unknown> => {
    const rule = FEATURE_RULES[name as keyof typeof FEATURE_RULES];
    if (rule.kind === 'category') {
      return fc.oneof(
        anyUnicodeString.filter((s) => !classes[name].includes(s)),
        fc
          .constantFrom(...classes[name])
          .map((c) => c.toUpperCase())
          .filter((s) => !classes[name].includes(s)),
        fc.constantFrom(...classes[name]).map((c) => `${c} `),
        fc.constant('x'.repeat(65)),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constant(''),
      );
    }
    const edges = fc
      .constantFrom(...EDGE_NUMBERS)
      .filter((x) => x < rule.min || x > rule.max || (rule.kind === 'integer' && !Number.isInteger(x)));
    const outside = fc.oneof(
      fc.double({ max: rule.min, maxExcluded: true, noNaN: true, noDefaultInfinity: true, min: -1e308 }),
      fc.double({ min: rule.max, minExcluded: true, noNaN: true, noDefaultInfinity: true, max: 1e308 }),
    );
    const arbitraries: fc.Arbitrary<unknown>[] = [edges, outside, fc.constantFrom(...NUMBER_LITERALS.map((t) => new RawNumber(t)))];
    if (rule.kind === 'integer') {
      arbitraries.push(fc.integer({ min: rule.min, max: rule.max - 1 }).map((x) => x + 0.5));
    }
    return fc.oneof(...arbitraries);
  };
  const edit = fc.oneof(
    fc.constantFrom(...BANK_SCHEMA.featureNames).map((name) => ({ name, op: 'delete' as const, value: undefined as unknown })),
    fc.constantFrom(...BANK_SCHEMA.featureNames).map((name) => ({ name, op: 'set' as const, value: null as unknown })),
    fc.constantFrom(...BANK_SCHEMA.featureNames).chain((name) => wrongFor(name).map((value) => ({ name, op: 'set' as const, value }))),
    fc.constantFrom(...BANK_SCHEMA.featureNames).chain((name) => typeConfusedValue.map((value) => ({ name, op: 'set' as const, value }))),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !(BANK_SCHEMA.featureNames as readonly string[]).includes(k)),
        smallJson,
      )
      .map(([name, value]) => ({ name, op: 'set' as const, value })),
  );
  return fc.tuple(validRecord(classes), edit).map(([record, { name, op, value }]) => {
    const copy: Record19 = { ...record };
    if (op === 'delete') delete copy[name];
    else own(copy, name, value);
    return copy;
  });
}

/** Every field replaced, independently, by anything JSON can hold. */
function typeConfusedRecord(classes: Classes): fc.Arbitrary<Record19> {
  return fc
    .tuple(
      validRecord(classes),
      fc.array(fc.tuple(fc.constantFrom(...BANK_SCHEMA.featureNames), typeConfusedValue), { minLength: 1, maxLength: 19 }),
    )
    .map(([record, edits]) => {
      const copy: Record19 = { ...record };
      for (const [name, value] of edits) copy[name] = value;
      return copy;
    });
}

/** A field (or an extra key) holding a nested structure. */
function deeplyNestedRecord(classes: Classes): fc.Arbitrary<Record19> {
  return fc
    .tuple(validRecord(classes), fc.oneof(fc.constantFrom(...BANK_SCHEMA.featureNames), fc.constant('extra')), nested(200))
    .map(([record, name, value]) => ({ ...record, [name]: value }));
}

function hugeStringRecord(classes: Classes, maxBytes: number): fc.Arbitrary<Record19> {
  return fc
    .tuple(validRecord(classes), fc.constantFrom(...BANK_SCHEMA.featureNames, 'HUGE_KEY'), hugeString(maxBytes))
    .map(([record, name, text]) => {
      const copy: Record19 = { ...record };
      if (name === 'HUGE_KEY') copy[text] = 1;
      else copy[name] = text;
      return copy;
    });
}

function unicodeRecord(classes: Classes): fc.Arbitrary<Record19> {
  return fc
    .tuple(validRecord(classes), fc.constantFrom(...BANK_SCHEMA.categoricalFeatures, 'KEY'), anyUnicodeString)
    .map(([record, name, text]) => {
      const copy: Record19 = { ...record };
      if (name === 'KEY') own(copy, text, 'x');
      else copy[name] = text;
      return copy;
    });
}

/** Numeric fields at the edges of IEEE 754 (valid where the rule allows it, invalid elsewhere). */
function edgeNumberRecord(classes: Classes): fc.Arbitrary<Record19> {
  return fc
    .tuple(
      validRecord(classes),
      fc.array(fc.tuple(fc.constantFrom(...BANK_SCHEMA.numericFeatures), fc.constantFrom(...EDGE_NUMBERS)), { minLength: 1, maxLength: 4 }),
    )
    .map(([record, edits]) => {
      const copy: Record19 = { ...record };
      for (const [name, value] of edits) copy[name] = value;
      return copy;
    });
}

/** A pollution payload: the keys, their usual values, and one that would pass as a whole record. */
function pollutionValue(classes: Classes): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant({ polluted: 'yes', isAdmin: true }),
    fc.constant({ prototype: { polluted: 'yes' } }),
    validRecord(classes),
    smallJson,
  );
}

/** A valid (or near-valid) record with `__proto__` / `constructor` / `prototype` as own keys. */
export function pollutedRecord(classes: Classes): fc.Arbitrary<Record19> {
  return fc
    .tuple(
      fc.oneof(validRecord(classes), oneFieldWrong(classes)),
      fc.constantFrom(...POLLUTION_KEYS),
      pollutionValue(classes),
      fc.constantFrom('top', 'nested', 'only'),
    )
    .map(([record, key, value, where]) => {
      if (where === 'only') return own({}, key, value) as Record19; // {"__proto__": {...19 fields}}
      const copy: Record19 = { ...record };
      if (where === 'top') return own(copy, key, value);
      copy.job = own({}, key, value); // inside a field
      return copy;
    });
}

/** Bodies that are not a record at all. */
const notARecord: fc.Arbitrary<unknown> = fc.oneof(
  smallJson,
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.constant({ age: 30 }), { maxLength: 3 }),
);

export interface Case {
  /** The generator class, for the per-class counts in the report. */
  kind: string;
  text: string;
}

const asCase =
  (kind: string) =>
  (value: unknown): Case => ({ kind, text: toJsonText(value) });

/** Mangled JSON text: cut short, a character inserted, trailing commas, comments, single quotes. */
function malformedText(base: fc.Arbitrary<string>): fc.Arbitrary<Case> {
  return fc
    .tuple(
      base,
      fc.nat(),
      fc.constantFrom('cut', 'insert', 'comma', 'quote', 'comment', 'nan', 'empty', 'spaces'),
      fc.constantFrom('{', '}', '"', ',', ':', '\\', '\u0000', 'x'),
    )
    .map(([text, at, how, ch]) => {
      const i = text.length === 0 ? 0 : at % text.length;
      switch (how) {
        case 'cut':
          return text.slice(0, i);
        case 'insert':
          return text.slice(0, i) + ch + text.slice(i);
        case 'comma':
          return text.replace(/}$/, ',}');
        case 'quote':
          return text.replace(/"/g, "'");
        case 'comment':
          return `/* hi */${text}`;
        case 'nan':
          return text.replace(/:(-?\d[\d.eE+-]*)/, ':NaN');
        case 'empty':
          return '';
        default:
          return `  \n\t${text}  `;
      }
    })
    .map((text) => ({ kind: 'malformed JSON', text }));
}

/** Every class of /predict body, weighted so valid ones are about a third. */
export function predictBodies(classes: Classes, maxHugeBytes: number): fc.Arbitrary<Case> {
  const valid = validRecord(classes);
  return fc.oneof(
    { weight: 30, arbitrary: valid.map(asCase('valid')) },
    { weight: 20, arbitrary: oneFieldWrong(classes).map(asCase('near-valid')) },
    { weight: 10, arbitrary: typeConfusedRecord(classes).map(asCase('type-confused')) },
    { weight: 8, arbitrary: edgeNumberRecord(classes).map(asCase('edge numbers')) },
    { weight: 6, arbitrary: unicodeRecord(classes).map(asCase('unicode')) },
    { weight: 6, arbitrary: pollutedRecord(classes).map(asCase('prototype keys')) },
    { weight: 5, arbitrary: deeplyNestedRecord(classes).map(asCase('deeply nested')) },
    { weight: 3, arbitrary: hugeStringRecord(classes, maxHugeBytes).map(asCase('huge strings')) },
    { weight: 5, arbitrary: notARecord.map(asCase('not a record')) },
    { weight: 7, arbitrary: malformedText(valid.map(toJsonText)) },
  );
}

/** A row of a batch: mostly valid, else any /predict class. */
function batchRow(classes: Classes): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: validRecord(classes) },
    { weight: 2, arbitrary: oneFieldWrong(classes) },
    { weight: 1, arbitrary: typeConfusedRecord(classes) },
    { weight: 1, arbitrary: edgeNumberRecord(classes) },
    { weight: 1, arbitrary: unicodeRecord(classes) },
    { weight: 1, arbitrary: pollutedRecord(classes) },
    { weight: 1, arbitrary: deeplyNestedRecord(classes) },
    { weight: 1, arbitrary: notARecord },
  );
}

export function batchBodies(classes: Classes, maxHugeBytes: number): fc.Arbitrary<Case> {
  const validBatch = fc.array(validRecord(classes), { minLength: 1, maxLength: 5 }).map((instances) => ({ instances }));
  const rows = fc.array(batchRow(classes), { minLength: 1, maxLength: 5 });
  return fc.oneof(
    { weight: 30, arbitrary: validBatch.map(asCase('valid')) },
    { weight: 30, arbitrary: rows.map((instances) => ({ instances })).map(asCase('rows of every class')) },
    {
      weight: 10,
      arbitrary: fc
        .tuple(validBatch, fc.constantFrom('empty', 'object', 'extra', 'missing', 'null', 'string', 'nested'), smallJson)
        .map(([body, how, junk]) => {
          switch (how) {
            case 'empty':
              return { instances: [] };
            case 'object':
              return { instances: { 0: body.instances[0] } };
            case 'extra':
              return { ...body, [typeof junk === 'string' && junk !== 'instances' && junk.length > 0 ? junk : 'extra']: junk };
            case 'missing':
              return {};
            case 'null':
              return { instances: null };
            case 'string':
              return { instances: JSON.stringify(body.instances) };
            default:
              return { instances: [body.instances] };
          }
        })
        .map(asCase('near-valid wrapper')),
    },
    {
      weight: 5,
      arbitrary: fc
        .tuple(validBatch, fc.constantFrom(...POLLUTION_KEYS), smallJson)
        .map(([body, key, v]) => own({ ...body }, key, v))
        .map(asCase('prototype keys')),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(validBatch, hugeString(maxHugeBytes))
        .map(([body, s]) => ({ ...body, instances: [...body.instances, s] }))
        .map(asCase('huge strings')),
    },
    { weight: 5, arbitrary: notARecord.map(asCase('not a record')) },
    { weight: 7, arbitrary: malformedText(validBatch.map(toJsonText)) },
  );
}

/** A placeholder replaced, when the case runs, by the id of a prediction already served. */
export const SERVED = '\u0000served:';

/** request_id values: served ones (by index), fresh well-formed ones, and everything else. */
const requestIdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 10, arbitrary: fc.nat().map((i) => `${SERVED}${i}`) },
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/) },
  { weight: 1, arbitrary: fc.constant('x'.repeat(129)) },
  { weight: 2, arbitrary: anyUnicodeString },
  { weight: 2, arbitrary: typeConfusedValue },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'a b', 'id\n', '../../etc/passwd', '<script>', "'; DROP TABLE x; --") },
);

const actualValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('yes', 'no') },
  { weight: 1, arbitrary: fc.constantFrom('YES', 'No', ' yes', 'y', '1', 'true', '') },
  { weight: 1, arbitrary: typeConfusedValue },
  { weight: 1, arbitrary: anyUnicodeString },
);

/** A well-formed feedback item: a served id (by placeholder) or a fresh well-formed one, yes or no. */
const validFeedbackItem: fc.Arbitrary<Record<string, unknown>> = fc.record({
  request_id: fc.oneof(
    { weight: 4, arbitrary: fc.nat().map((i) => `${SERVED}${i}`) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/) },
  ),
  actual: fc.constantFrom('yes', 'no'),
});

function feedbackItem(): fc.Arbitrary<Record<string, unknown>> {
  const edit = fc.oneof(
    { weight: 10, arbitrary: fc.constant('none') },
    { weight: 1, arbitrary: fc.constantFrom('drop-id', 'drop-actual', 'extra', 'proto') },
  );
  return fc.tuple(requestIdValue, actualValue, edit, smallJson, fc.nat()).map(([request_id, actual, how, junk, at]) => {
    const item: Record<string, unknown> = { request_id, actual };
    if (how === 'drop-id') delete item.request_id;
    if (how === 'drop-actual') delete item.actual;
    if (how === 'extra') item.note = junk;
    if (how === 'proto') own(item, POLLUTION_KEYS[at % POLLUTION_KEYS.length], { request_id: 'x', actual: 'yes' });
    return item;
  });
}

export function feedbackBodies(maxHugeBytes: number): fc.Arbitrary<Case> {
  const item = feedbackItem();
  return fc.oneof(
    { weight: 25, arbitrary: validFeedbackItem.map(asCase('valid')) },
    { weight: 25, arbitrary: item.map(asCase('fields of every class')) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(item, hugeString(maxHugeBytes))
        .map(([i, s]) => ({ ...i, request_id: s }))
        .map(asCase('huge strings')),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(item, nested(200))
        .map(([i, n]) => ({ ...i, actual: n }))
        .map(asCase('deeply nested')),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...POLLUTION_KEYS), item)
        .map(([k, i]) => own({}, k, i))
        .map(asCase('prototype keys')),
    },
    { weight: 5, arbitrary: notARecord.map(asCase('not a record')) },
    { weight: 5, arbitrary: malformedText(item.map(toJsonText)) },
  );
}

export function feedbackBatchBodies(maxHugeBytes: number): fc.Arbitrary<Case> {
  const items = fc.array(feedbackItem(), { minLength: 1, maxLength: 5 });
  return fc.oneof(
    {
      weight: 30,
      arbitrary: fc
        .array(validFeedbackItem, { minLength: 1, maxLength: 5 })
        .map((i) => ({ items: i }))
        .map(asCase('valid')),
    },
    { weight: 25, arbitrary: items.map((i) => ({ items: i })).map(asCase('items of every class')) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(items, fc.constantFrom('empty', 'object', 'extra', 'missing', 'null', 'strings', 'nulls'), smallJson)
        .map(([i, how, junk]) => {
          switch (how) {
            case 'empty':
              return { items: [] };
            case 'object':
              return { items: i[0] };
            case 'extra':
              return { items: i, extra: junk };
            case 'missing':
              return {};
            case 'null':
              return { items: null };
            case 'strings':
              return { items: ['abc'] };
            default:
              return { items: [null] };
          }
        })
        .map(asCase('near-valid wrapper')),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(items, hugeString(maxHugeBytes))
        .map(([i, s]) => ({ items: [...i, { request_id: s, actual: 'yes' }] }))
        .map(asCase('huge strings')),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(items, nested(200))
        .map(([i, n]) => ({ items: [...i, { request_id: 'abc', actual: n }] }))
        .map(asCase('deeply nested')),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(items, fc.constantFrom(...POLLUTION_KEYS))
        .map(([i, k]) => own({ items: i }, k, { items: [] }))
        .map(asCase('prototype keys')),
    },
    { weight: 4, arbitrary: notARecord.map(asCase('not a record')) },
    { weight: 4, arbitrary: malformedText(items.map((i) => toJsonText({ items: i }))) },
  );
}

// ---------------------------------------------------------------------------------------------
// Query strings

/** Integers written every way Number() reads them, and things that are not integers. */
const integerText: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 60_000 }).map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 5 }).map(String) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '1e3',
      '1E2',
      '0x10',
      '0b11',
      '0o7',
      '+5',
      ' 7 ',
      '007',
      '1.0',
      '1.5',
      '-0',
      'NaN',
      'Infinity',
      '-Infinity',
      '1e400',
      '9007199254740993',
      '1_000',
      '١٢',
      'null',
      'true',
      '[]',
      '{}',
      '5abc',
    ),
  },
  { weight: 2, arbitrary: anyUnicodeString },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
);

/** ISO 8601 strings of every kind @IsISO8601({strict: true}) knows, plus near misses and junk. */
const dateText: fc.Arbitrary<string> = fc
  .oneof(
    {
      weight: 6,
      arbitrary: fc
        .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString()),
    },
    {
      weight: 2,
      arbitrary: fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    },
    {
      weight: 1,
      arbitrary: fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().replace('Z', '+02:00')),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '2026-02-30',
        '2026-13-01',
        '2026-11-26T25:00:00Z',
        '2026-11-26T12:00:00+25:00',
        '26-11-2026',
        'yesterday',
        'now',
        '2026/11/26',
        '0000-01-01',
        '2026',
        '2026-11',
        '+2026-11-26',
        '2026-11-26T12:00:00.123456789Z',
        '2026-11-26 12:00',
        '2026-11-26T24:00',
        '1e12',
        '1700000000000',
      ),
    },
    { weight: 2, arbitrary: anyUnicodeString },
  )
  // Forms V8 cannot read have a test of their own; the main property must stay green.
  .filter((text) => !isUnparsableIsoString(text));

/** Keys that are not parameters of the endpoint: prototype-named ones, brackets, case, anything. */
const junkKey = (known: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(...POLLUTION_KEYS, `${known[0]}[]`, `${known[0]}[a]`, known[0].toUpperCase(), 'x', ''),
    fc.string({ minLength: 1, maxLength: 10 }),
  );

/**
 * Each known parameter present or not, with a value of its kind; now and then a repeated
 * parameter (it arrives as an array) or an unknown one.
 */
function queryPairs(known: readonly string[], value: (key: string) => fc.Arbitrary<string>): fc.Arbitrary<QueryPairs> {
  const present = fc.tuple(
    ...known.map((k) =>
      fc.option(
        value(k).map((v) => [k, v] as [string, string]),
        { nil: undefined, freq: 2 },
      ),
    ),
  );
  const extra = fc.oneof(
    { weight: 8, arbitrary: fc.constant([] as Array<[string, string]>) },
    { weight: 1, arbitrary: fc.array(fc.tuple(junkKey(known), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom(...known).chain((k) => value(k).map((v) => [[k, v]] as Array<[string, string]>)) },
  );
  return fc.tuple(present, extra).map(([pairs, more]) => [...pairs.filter((p): p is [string, string] => p !== undefined), ...more]);
}

export const driftQueries = queryPairs(['window', 'from', 'to'], (k) =>
  k === 'from' || k === 'to' ? dateText : k === 'window' ? integerText : fc.string(),
);
export const performanceQueries = queryPairs(['window'], (k) => (k === 'window' ? integerText : fc.string()));
export const eventsQueries = queryPairs(['limit'], (k) => (k === 'limit' ? integerText : fc.string()));

export function toQueryString(pairs: QueryPairs): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
