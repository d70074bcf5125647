import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * A worker thread's script beside its caller: the compiled `<name>.js` (dist/), or, under ts-jest,
 * the TypeScript source run through ts-node.
 */
export function workerScript(directory: string, name: string): { file: string; execArgv: string[] } {
  const compiled = path.join(directory, `${name}.js`);
  if (existsSync(compiled)) return { file: compiled, execArgv: [] };
  const source = path.join(directory, `${name}.ts`);
  if (existsSync(source)) return { file: source, execArgv: ['-r', 'ts-node/register/transpile-only'] };
  throw new Error(`the worker ${name} is missing (${compiled}): rebuild with \`npm run build\``);
}
