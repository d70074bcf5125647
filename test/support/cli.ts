import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './test-app';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Runs the built CLI as a user would (`node dist/cli ...`); `npm test` builds first. */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
