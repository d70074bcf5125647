/** Deeper than any body this API takes (a batch row is at depth 2): refused before any recursion. */
export const MAX_JSON_DEPTH = 32;

/**
 * What makes a parsed body or query unsafe to hand to class-transformer and class-validator, or
 * null: nesting deep enough to overflow their recursive walks (a 6 KB body can be 3,000 levels
 * deep), or a key named like a prototype member (`__proto__`, `constructor`, `valueOf`...), which
 * they skip silently instead of rejecting as unknown. Iterative, so depth itself cannot hurt it.
 */
export function unsafeJsonProblem(value: unknown): string | null {
  const stack: Array<[unknown, number, string]> = [[value, 0, '']];
  while (stack.length > 0) {
    const [current, depth, at] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_JSON_DEPTH) return `request is nested more than ${MAX_JSON_DEPTH} levels deep`;
    const isArray = Array.isArray(current);
    for (const key of Object.keys(current)) {
      if (!isArray && (key === 'prototype' || key in Object.prototype)) return `property ${at}${key} should not exist`;
      stack.push([(current as Record<string, unknown>)[key], depth + 1, `${at}${key}.`]);
    }
  }
  return null;
}
