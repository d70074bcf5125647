const BOUND = new WeakMap<object, string>();

/**
 * Runs `bind` (which decorates `target` for a dataset schema) once per class and process: Nest
 * and Swagger read a DTO's decorators from the class itself, so a process serves one schema. The
 * same schema again is a no-op; another one is a programming error (a second service in one process).
 */
export function bindOnce(target: object, schemaHash: string, bind: () => void): void {
  const bound = BOUND.get(target);
  if (bound === schemaHash) return;
  if (bound !== undefined)
    throw new Error(`${(target as { name?: string }).name ?? 'a DTO'} is already bound to another dataset schema in this process`);
  bind();
  BOUND.set(target, schemaHash);
}
