/**
 * Issue 15 against the real server (node dist/main): a 200 is a promise (SIGKILL right after it
 * loses nothing), one server per storage folder with a lock whose liveness is a heartbeat, and
 * slow clients cannot exhaust the process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { Socket, connect } from 'node:net';
import * as path from 'node:path';
import { readRows } from '../support/data-rows';
import { ServerProcess, startServer } from '../support/server-process';
import { EXAMPLE_CLIENT, FULL_DATA, REPO_ROOT, makeTempDir } from '../support/test-app';

jest.setTimeout(120_000);

/** POSTs a JSON body and SIGKILLs the server the moment the response status arrives. */
function postThenKill(server: ServerProcess, urlPath: string, body: unknown, requestId: string): Promise<number> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: urlPath,
        headers: { 'content-type': 'application/json', 'content-length': data.length, 'x-request-id': requestId },
      },
      (res) => {
        server.child.kill('SIGKILL');
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const linesWith = (file: string, prefix: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"request_id":"${prefix}`)).length;

describe('a 200 is a promise, and one server writes a storage folder', () => {
  const storage = makeTempDir('durable-');
  const env = { STORAGE_DIR: storage, AUTO_HEAL: 'false', STORAGE_LOCK_STALE_S: '2' };
  const rows = readRows(FULL_DATA)
    .slice(0, 10_000)
    .map((r) => r.features);
  let server: ServerProcess | null = null;

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });

  it('SIGKILL right after the 200 of a 10,000-row batch: all 10,000 lines are in inference.log', async () => {
    server = await startServer(env);
    expect(await postThenKill(server, '/predict/batch', { instances: rows }, 'kill-batch')).toBe(200);
    await server.exited;
    expect(linesWith(path.join(storage, 'logs', 'inference.log'), 'kill-batch-')).toBe(10_000);
  });

  it("after a restart (the killed server's lock taken over once its heartbeat stopped), SIGKILL right after the 200 of 5,000 outcomes: all are in feedback.log", async () => {
    server = await startServer(env);
    const items = Array.from({ length: 5000 }, (_, i) => ({ request_id: `kill-batch-${i}`, actual: i % 7 === 0 ? 'yes' : 'no' }));
    expect(await postThenKill(server, '/feedback/batch', { items }, 'kill-feedback')).toBe(200);
    await server.exited;
    expect(linesWith(path.join(storage, 'logs', 'feedback.log'), 'kill-batch-')).toBe(5000);
  });

  it('a second server on the same storage refuses to start with one line; once the first is killed, it starts', async () => {
    server = await startServer(env);
    const second = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'main.js')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    });
    let stderr = '';
    second.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^cannot start: another server is using .*server\.lock is held by another process \(its heartbeat is \d+\.\d s old\)/,
    );
    expect(server.output()).toMatch(/feedback: no FEEDBACK_TOKEN: anyone may send outcomes, and a challenger they lead to is held/);
    // The first one serves on, undisturbed.
    const health = await fetch(`${server.baseUrl}/health`);
    expect(health.status).toBe(200);
    server.child.kill('SIGKILL');
    await server.exited;
    server = await startServer(env); // its lock's heartbeat stopped: taken over
    expect((await fetch(`${server.baseUrl}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    await server.exited;
  });
});

describe('slow clients cannot exhaust the server', () => {
  it('300 connections that send headers then a byte a second, against 256 descriptors: at least 95% of /predict probes succeed', async () => {
    // The server runs with a small descriptor limit, as the did with a large one and 20,000 connections.
    const storage = makeTempDir('slow-');
    const child: ChildProcess = spawn('sh', ['-c', `ulimit -n 256 && exec "${process.execPath}" dist/main.js`], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        STORAGE_DIR: storage,
        AUTO_HEAL: 'false',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        MAX_CONNECTIONS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const attackers: Socket[] = [];
    let trickle: NodeJS.Timeout | undefined;
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start:\n${output}`)), 30_000);
        child.stdout!.on('data', () => {
          const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
      });
      for (let i = 0; i < 300; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('connect', () =>
          socket.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{'),
        );
        attackers.push(socket);
      }
      trickle = setInterval(() => attackers.forEach((s) => !s.destroyed && s.write(' ')), 1000);
      await new Promise((r) => setTimeout(r, 1500));
      const body = JSON.stringify(EXAMPLE_CLIENT);
      let ok = 0;
      const probes = 40;
      for (let i = 0; i < probes; i++) {
        const status = await new Promise<number>((resolve) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/predict',
              agent: false,
              timeout: 5000,
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('timeout', () => req.destroy());
          req.on('error', () => resolve(0));
          req.end(body);
        });
        if (status === 200) ok++;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(ok / probes).toBeGreaterThanOrEqual(0.95);
      expect(output).toMatch(/MAX_CONNECTIONS \(100\) reached/);
    } finally {
      clearInterval(trickle);
      attackers.forEach((s) => s.destroy());
      child.kill('SIGKILL');
      await exited;
    }
  });
});
