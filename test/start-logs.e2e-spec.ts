/**
 * What `node dist/main` writes while it starts, as a person and as a log collector see it: JSON lines
 * when stdout is a pipe, pretty lines (time, level, context, message) on a terminal (a real one,
 * made by util-linux's `script`) or with LOG_FORMAT=pretty, each line stamped when it happened
 * (not all at once after the first training), and Nest's per-module and per-route inventory left
 * to LOG_LEVEL=debug.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { startServer } from './support/server-process';
import { REPO_ROOT, SMALL_DATA, makeTempDir } from './support/test-app';

const MAIN = path.join(REPO_ROOT, 'dist', 'main.js');
const SCRIPT = '/usr/bin/script';
// eslint-disable-next-line no-control-regex -- the terminal's colour codes
const ANSI = /\u001b\[[0-9;]*m/g;

interface LogLine {
  level: number;
  time: number;
  context?: string;
  msg: string;
}

/** Stops a server started in its own process group (the server, and `script` around it). */
function stopGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
}

/** `node dist/main` on a terminal: `script` gives it a pseudo-terminal as stdout. Resolves with what it wrote until it listened. */
async function startOnTerminal(env: Record<string, string>): Promise<string> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const child = spawn(SCRIPT, ['-qefc', `"${process.execPath}" "${MAIN}"`, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, stopped whole below
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  try {
    // Up to the line that says it listens (stopping it adds `script`'s own goodbye).
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" within 30 s:\n${output}`)), 30_000);
      const check = () => {
        const end = /listening on http:\/\/127\.0\.0\.1:\d+[^\n]*\n/.exec(output);
        if (end) {
          clearTimeout(timer);
          resolve(output.slice(0, end.index + end[0].length));
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
    });
  } finally {
    await stopGroup(child);
  }
}

describe('start-up logs', () => {
  const storage = makeTempDir('shmp-start-logs-');

  it('over a pipe: JSON lines, each stamped when it happened (training took time between them), no Nest inventory at info', async () => {
    const server = await startServer({ STORAGE_DIR: storage, DATA_FILE: SMALL_DATA });
    server.child.kill('SIGTERM');
    await server.exited;
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '');
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    const find = (pattern: RegExp) => {
      const line = parsed.find((l) => pattern.test(l.msg));
      if (!line) throw new Error(`no line matching ${pattern} in:\n${lines.join('\n')}`);
      return line;
    };
    const first = find(/^Starting Nest application/);
    const training = find(/^no model in .*: training v1 from .* \(first start; a few seconds, then the service listens\)$/);
    const trained = find(/^trained v1 in \d+\.\d s on 2884 rows: validation ROC-AUC 0\.7693$/);
    const listening = find(/^listening on http:\/\/127\.0\.0\.1:\d+/);
    // In the order they happened, and not all stamped at one moment: the training lies between.
    expect(first.time).toBeLessThanOrEqual(training.time);
    expect(training.time).toBeLessThan(trained.time);
    expect(trained.time).toBeLessThanOrEqual(listening.time);
    expect(parsed.map((l) => l.time)).toEqual([...parsed.map((l) => l.time)].sort((a, b) => a - b));
    expect(training.context).toBe('ServiceStartup');
    expect(parsed.filter((l) => ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'].includes(l.context ?? ''))).toEqual([]);
    expect(parsed.length).toBeLessThan(12);
  });

  it('on a terminal: pretty lines, time first, then level, [context] and message', async () => {
    const output = (await startOnTerminal({ STORAGE_DIR: storage })).replace(ANSI, '');
    const lines = output.split(/\r?\n/).filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN|ERROR|DEBUG): /);
    expect(output).toMatch(/INFO: \[ActiveModel\] serving model v1/);
    expect(output).toMatch(/INFO: \[Bootstrap\] listening on http:\/\/127\.0\.0\.1:\d+ \(Swagger UI at \/docs\)/);
    expect(output).not.toContain('{"level"');
  });

  // (LOG_FORMAT=json on a terminal is the same choice the other way: src/common/logs/log-format.spec.ts.)
  it('LOG_FORMAT=pretty over a pipe: pretty lines, without colours', async () => {
    const server = await startServer({ STORAGE_DIR: storage, LOG_FORMAT: 'pretty' });
    server.child.kill('SIGTERM');
    await server.exited;
    const pretty = server.output();
    expect(pretty).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Bootstrap\] listening on /m);
    expect(pretty).not.toMatch(ANSI);
  });
});
