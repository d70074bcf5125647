import { MAX_JSON_DEPTH, unsafeJsonProblem } from './json-safety';

describe('unsafeJsonProblem', () => {
  it('accepts ordinary bodies and queries', () => {
    expect(unsafeJsonProblem({ age: 30, job: 'admin.', nested: { a: [1, { b: 2 }] } })).toBeNull();
    expect(unsafeJsonProblem({ instances: [{ age: 1 }, { age: 2 }] })).toBeNull();
    expect(unsafeJsonProblem(null)).toBeNull();
    expect(unsafeJsonProblem('text')).toBeNull();
  });

  it.each(['__proto__', 'constructor', 'prototype', 'valueOf', 'toString', 'hasOwnProperty'])(
    'refuses a key named %s, wherever it is',
    (key) => {
      expect(unsafeJsonProblem(JSON.parse(`{"${key}": 1}`))).toBe(`property ${key} should not exist`);
      expect(unsafeJsonProblem(JSON.parse(`{"instances": [{"${key}": {}}]}`))).toBe(`property instances.0.${key} should not exist`);
    },
  );

  it('refuses nesting deeper than the limit without recursing', () => {
    const deep = JSON.parse(`{"age":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(unsafeJsonProblem(deep)).toBe(`request is nested more than ${MAX_JSON_DEPTH} levels deep`);
    let shallow: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH - 1; i++) shallow = [shallow];
    expect(unsafeJsonProblem({ a: shallow })).toBeNull();
  });

  it('does not mistake array indices for keys', () => {
    expect(unsafeJsonProblem([[1], [2]])).toBeNull();
  });
});
