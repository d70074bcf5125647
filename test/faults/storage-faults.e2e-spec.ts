import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';
/**
 * Issue 8: storage faults. Each artifact of the active version corrupted, truncated or deleted;
 * registry.json naming a missing version or unreadable; a read-only storage; a full disk; the
 * prediction log becoming unwritable while serving. Start-up must name the bad file (log or
 * /health reason) and serve the last good version; training must fail with one clear line and
 * leave no half-written version; a running server must keep serving.
 *
 * How the faults are made (the tests run as root, where chmod stops nothing):
 * - read-only storage: a read-only bind mount of the storage folder, made inside a private mount
 *   namespace (`unshare -m`) for the CLI process only, so the mount disappears with it and the
 *   in-process server keeps its writable view. Without unshare/mount privileges it falls back to
 *   a storage whose `.staging` is a file, so the CLI cannot create its staging folder.
 * - full disk: a 1 MB tmpfs mounted on a scratch folder (unmounted in afterAll), filled with a
 *   filler file; skipped, saying why, when tmpfs cannot be mounted.
 */
import { INestApplication, Logger } from '@nestjs/common';
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statfsSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { FeatureRecord } from '../../src/data/dataset-schema';
import { ActiveModel } from '../../src/model-registry/active-model';
import { ModelStore } from '../../src/model-registry/model-store';
import { PredictionRecordService } from '../../src/predictions/prediction-record.service';
import { CliResult, runCli } from '../support/cli';
import { startServer } from '../support/server-process';
import { EXAMPLE_CLIENT, REPO_ROOT, createTestApp, makeTempDir, testConfig } from '../support/test-app';
import { storageSnapshot } from '../support/storage-snapshot';

jest.setTimeout(120_000);

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const round4 = (p: number) => Math.round(p * 1e4) / 1e4;

/** Storage folders made once: v1 alone, and v1 + v2 (v2 active, v1 previous). */
let oneVersion: string;
let twoVersions: string;
/** Scratch folders of this file, removed at the end. */
const scratch: string[] = [];

function copyOf(template: string): string {
  const dir = makeTempDir('faults-storage-');
  scratch.push(dir);
  cpSync(template, dir, { recursive: true });
  return dir;
}

/** Every committed version still loads whole (no half-written one). */
async function expectEveryVersionLoads(dir: string): Promise<void> {
  const store = new ModelStore(dir, BANK_SCHEMA);
  for (const version of await store.versions.listVersions()) await store.versions.loadVersion(version);
}

/** Start-up messages the app logged through Nest's Logger (what its pino log prints). */
function captureLogs(): { messages: () => string[]; restore: () => void } {
  const spies = (['error', 'warn', 'log'] as const).map((level) => jest.spyOn(Logger.prototype, level));
  return {
    messages: () => spies.flatMap((spy) => spy.mock.calls.map((call) => String(call[0]))),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

function runCliAsync(args: string[], command: string[] = [process.execPath, CLI]): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(command[0], [...command.slice(1), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const done = new Promise<CliResult>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { child, done };
}

function expectOneLineFailure(res: CliResult): string {
  expect(res.status).toBe(1);
  const lines = res.stderr.replace(/\n$/, '').split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(res.stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

/** POST /predict answered by `version`, with the model's own probability. */
async function expectPredictsWith(app: INestApplication, version: string): Promise<void> {
  const res = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT);
  expect(res.status).toBe(200);
  expect(res.body.model_version).toBe(version);
  const active = app.get(ActiveModel).current()!;
  const p = active.model.probability(active.preprocessor.transform(EXAMPLE_CLIENT as FeatureRecord));
  expect(res.body.prediction_proba.yes).toBe(round4(p));
}

/** Keeps POSTing /predict until `until` settles; resolves with the statuses seen. */
async function predictWhile(app: INestApplication, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true));
  const statuses: number[] = [];
  while (!done) {
    statuses.push((await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT)).status);
    await new Promise((r) => setTimeout(r, 20));
  }
  return statuses;
}

/**
 * POSTs /predict on a full disk until it is refused: the log's last page may still take a few
 * lines (they are written, so those 200s are true). Resolves with the 503.
 */
async function predictUntilRefused(app: INestApplication): Promise<request.Response> {
  for (let i = 0; i < 500; i++) {
    const res = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT);
    if (res.status === 503) return res;
    expect(res.status).toBe(200);
  }
  throw new Error('500 predictions on a full disk were all confirmed');
}

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  oneVersion = makeTempDir('faults-template1-');
  scratch.push(oneVersion);
  expect(runCli(['train', '--storage', oneVersion]).status).toBe(0);
  twoVersions = copyOf(oneVersion);
  expect(runCli(['train', '--storage', twoVersions, '--seed', '7']).status).toBe(0);
  expect(JSON.parse(readFileSync(path.join(twoVersions, 'registry.json'), 'utf8'))).toMatchObject({ active: 'v2', previous: 'v1' });
});

describe('a damaged artifact of the active version: named at start-up, the last good version serves', () => {
  let app: INestApplication | undefined;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(() => {
    logs = captureLogs();
  });

  afterEach(async () => {
    logs.restore();
    await app?.close();
    app = undefined;
  });

  const artifacts = [
    'models/v2/model.json',
    'models/v2/preprocessor.json',
    'models/v2/metadata.json',
    'baseline/v2/metrics.json',
    'baseline/v2/stats.json',
  ];
  const damages: Array<[string, (file: string) => void, RegExp]> = [
    [
      'corrupted (bytes overwritten mid-file)',
      (file) => {
        const bytes = readFileSync(file);
        const at = bytes.length >> 1;
        Buffer.from('\u0000\u00ff#corrupt#').copy(bytes, at);
        writeFileSync(file, bytes);
      },
      /not valid JSON/,
    ],
    ['truncated to half', (file) => truncateSync(file, readFileSync(file).length >> 1), /not valid JSON/],
    ['truncated to zero bytes', (file) => truncateSync(file, 0), /file is empty/],
    ['deleted', (file) => rmSync(file), /file is missing/],
  ];

  for (const [damage, apply, problem] of damages) {
    it.each(artifacts)(`${damage}: %s`, async (relative) => {
      const storage = copyOf(twoVersions);
      const file = path.join(storage, relative);
      apply(file);
      app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
      const health = await request(app.getHttpServer()).get('/health').expect(200);
      expect(health.body.model_version).toBe('v1');
      await expectPredictsWith(app, 'v1');
      const named = logs.messages().filter((m) => m.includes(file));
      expect(named.length).toBeGreaterThan(0);
      expect(named.join('\n')).toMatch(problem);
      expect(logs.messages().some((m) => /serving v1 instead of v2/.test(m))).toBe(true);
      // Nothing was "repaired" behind the operator's back: registry.json still names v2.
      expect(JSON.parse(readFileSync(path.join(storage, 'registry.json'), 'utf8')).active).toBe('v2');
    });
  }

  it('the real server (node dist/main) prints the bad file in its log and serves v1', async () => {
    const storage = copyOf(twoVersions);
    const file = path.join(storage, 'baseline', 'v2', 'stats.json');
    truncateSync(file, 100);
    const server = await startServer({ STORAGE_DIR: storage, AUTO_HEAL: 'false' });
    try {
      const res = await request(server.baseUrl).get('/health').expect(200);
      expect(res.body.model_version).toBe('v1');
      expect(server.output()).toContain(file);
      expect(server.output()).toMatch(/serving v1 instead of v2/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('every version damaged: /health is 503 and its reason names each bad file', async () => {
    const storage = copyOf(twoVersions);
    const bad = [path.join(storage, 'models', 'v2', 'model.json'), path.join(storage, 'baseline', 'v1', 'stats.json')];
    rmSync(bad[0]);
    writeFileSync(bad[1], '{"numeric": ');
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    const res = await request(app.getHttpServer()).get('/health').expect(503);
    for (const file of bad) expect(res.body.reason).toContain(file);
    await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(503);
  });

  it('registry.json names a version that does not exist ({"active": "v9"}): named, and the newest good one serves', async () => {
    const storage = copyOf(twoVersions);
    writeFileSync(
      path.join(storage, 'registry.json'),
      JSON.stringify({ active: 'v9', previous: null, history: [], rejected: [], watch: null }),
    );
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    expect((await request(app.getHttpServer()).get('/health').expect(200)).body.model_version).toBe('v2');
    await expectPredictsWith(app, 'v2');
    expect(logs.messages().some((m) => m.includes(path.join(storage, 'models', 'v9')))).toBe(true);
  });

  it('registry.json names a missing active version and v1 as the previous one: v1 (the previous) serves', async () => {
    const storage = copyOf(twoVersions);
    writeFileSync(
      path.join(storage, 'registry.json'),
      JSON.stringify({ active: 'v9', previous: 'v1', history: ['v1'], rejected: [], watch: null }),
    );
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    expect((await request(app.getHttpServer()).get('/health').expect(200)).body.model_version).toBe('v1');
    await expectPredictsWith(app, 'v1');
  });

  it.each([
    ['garbage', 'garbage{'],
    ['truncated', '{"active": "v2", "prev'],
    ['empty', ''],
    ['the wrong shape', '{"active": 2}'],
  ])('registry.json %s: named in the log, the newest good version serves, training is not retried', async (_name, content) => {
    const storage = copyOf(twoVersions);
    const registry = path.join(storage, 'registry.json');
    writeFileSync(registry, content);
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    expect((await request(app.getHttpServer()).get('/health').expect(200)).body.model_version).toBe('v2');
    await expectPredictsWith(app, 'v2');
    expect(logs.messages().some((m) => m.includes(registry))).toBe(true);
    expect(readdirSync(path.join(storage, 'models')).sort()).toEqual(['v1', 'v2']); // no v3 trained
    expect(readFileSync(registry, 'utf8')).toBe(content); // left for the operator to inspect
  });

  it('a coefficient silently changed in models/v2/model.json is detected (v1 serves)', async () => {
    const storage = copyOf(twoVersions);
    const file = path.join(storage, 'models', 'v2', 'model.json');
    const model = JSON.parse(readFileSync(file, 'utf8'));
    model.coefficients[0] = model.coefficients[0] * 10 + 1;
    writeFileSync(file, `${JSON.stringify(model, null, 2)}\n`);
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    expect((await request(app.getHttpServer()).get('/health')).body.model_version).toBe('v1');
  });
});

describe('training into a storage it cannot write: one clear line, exit 1, nothing half-written, serving goes on', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  /** unshare + a read-only bind mount, when this machine allows them. */
  const canBindReadOnly = (() => {
    const probe = makeTempDir('faults-ro-probe-');
    const res = spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind -o ro "${probe}" "${probe}" && ! touch "${probe}/x" 2>/dev/null`]);
    rmSync(probe, { recursive: true, force: true });
    return res.status === 0;
  })();

  /** How the CLI is made to see a read-only storage (see the file's comment). */
  function readOnlyTrain(storage: string) {
    if (canBindReadOnly) {
      return runCliAsync(
        [],
        [
          'unshare',
          '-m',
          'sh',
          '-c',
          `mount --bind -o ro "$0" "$0" && exec "$1" "$2" train --storage "$0"`,
          storage,
          process.execPath,
          CLI,
        ],
      );
    }
    // Fallback: .staging is a file, so creating the staging folder fails.
    rmSync(path.join(storage, '.staging'), { recursive: true, force: true });
    writeFileSync(path.join(storage, '.staging'), '');
    return runCliAsync(['train', '--storage', storage]);
  }

  it(`read-only storage (${canBindReadOnly ? 'read-only bind mount in a private mount namespace' : 'fallback: .staging is a file'})`, async () => {
    const storage = copyOf(oneVersion);
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    await expectPredictsWith(app, 'v1');
    const before = storageSnapshot(storage);
    const { done } = readOnlyTrain(storage);
    const statuses = await predictWhile(app, done);
    const res = await done;
    expectOneLineFailure(res);
    expect(res.stderr).toContain(storage);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
    if (canBindReadOnly) expect(storageSnapshot(storage)).toEqual(before);
    await expectEveryVersionLoads(storage);
    await expectPredictsWith(app, 'v1');
  });

  (canBindReadOnly ? it : it.skip)('on a read-only storage the error says the storage is not writable', async () => {
    const storage = copyOf(oneVersion);
    const res = await readOnlyTrain(storage).done;
    expect(expectOneLineFailure(res)).toMatch(/read-only|EROFS|not writable/i);
  });
});

describe('a full disk (1 MB tmpfs)', () => {
  let mounted: string | null = null;
  let skipReason: string | null = null;
  let app: INestApplication | undefined;
  let storages: string[] = [];

  beforeAll(() => {
    const dir = makeTempDir('faults-tmpfs-');
    const res = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
    if (res.status !== 0) {
      skipReason = `cannot mount a tmpfs here (${res.stderr.trim() || res.error?.message}): full-disk tests skipped`;
      scratch.push(dir);
    } else mounted = dir;
    if (skipReason) process.stdout.write(`${skipReason}\n`);
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    // 1 MB holds two copies of a version at most: each test starts on an empty disk.
    for (const dir of storages) rmSync(dir, { recursive: true, force: true });
    storages = [];
    if (mounted) rmSync(path.join(mounted, 'filler'), { force: true });
  });

  afterAll(() => {
    if (mounted) {
      execFileSync('umount', [mounted]);
      rmSync(mounted, { recursive: true, force: true });
    }
  });

  /** Fills the disk with a filler file until `leaveBytes` are free (0: until ENOSPC). */
  function fill(dir: string, name: string, leaveBytes: number): string {
    const file = path.join(dir, name);
    const fd = openSync(file, 'w');
    const page = Buffer.alloc(4096, 0x78);
    try {
      for (;;) {
        const { bavail, bsize } = statfsSync(dir);
        if (leaveBytes > 0 && bavail * bsize <= leaveBytes) break;
        writeSync(fd, page);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      try {
        for (;;) writeSync(fd, Buffer.alloc(1, 0x78)); // the last bytes of the last page
      } catch {
        // full
      }
    } finally {
      closeSync(fd);
    }
    return file;
  }

  function freshStorage(): string {
    const storage = path.join(mounted!, `s${Date.now()}`);
    storages.push(storage);
    cpSync(oneVersion, storage, { recursive: true });
    return storage;
  }

  it('training fails with one clear line, no half-written version remains, and serving goes on', async () => {
    if (!mounted) return void process.stdout.write(`skipped: ${skipReason}\n`);
    const storage = freshStorage();
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    await expectPredictsWith(app, 'v1');
    // Room for the small artifacts, not for stats.json (~350 KB): the write fails mid-version.
    const filler = fill(mounted, 'filler', 60 * 1024);
    const before = storageSnapshot(storage);
    const { done } = runCliAsync(['train', '--storage', storage]);
    const statuses = await predictWhile(app, done);
    const res = await done;
    expect(expectOneLineFailure(res)).toMatch(/ENOSPC|no space left/);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const after = storageSnapshot(storage);
    expect({ ...after, events: null }).toEqual({ ...before, events: null });
    expect(after.staging).toEqual([]); // the staged half version was removed
    await expectEveryVersionLoads(storage);
    expect((await request(app.getHttpServer()).get('/health').expect(200)).body.model_version).toBe('v1');
    await expectPredictsWith(app, 'v1');
    rmSync(filler);
  });

  it('the prediction log filling the disk: /predict and /feedback answer 503 (nothing confirmed is lost), /health says degraded, the gauge 0', async () => {
    if (!mounted) return void process.stdout.write(`skipped: ${skipReason}\n`);
    const storage = freshStorage();
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    await expectPredictsWith(app, 'v1');
    const served = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(200);
    const filler = fill(mounted, 'filler', 0);
    const refused = await predictUntilRefused(app);
    expect(refused.body.message).toMatch(
      /^the prediction could not be recorded, so it is not confirmed: cannot write .*inference\.log: ENOSPC/,
    );
    await request(app.getHttpServer())
      .post('/predict/batch')
      .send({ instances: [EXAMPLE_CLIENT, EXAMPLE_CLIENT] })
      .expect(503);
    const feedback = { request_id: served.body.request_id, actual: 'yes' };
    await request(app.getHttpServer()).post('/feedback').send(feedback).expect(503);
    const health = await request(app.getHttpServer()).get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'degraded', model_version: 'v1' });
    expect(health.body.reasons.join('\n')).toMatch(/prediction logs cannot be written.*ENOSPC/);
    const metrics = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^storage_healthy\{what="logs"\} 0$/m);
    rmSync(filler);
    // Room again: the outcome refused before can be sent now (it was not recorded).
    await request(app.getHttpServer()).post('/feedback').send(feedback).expect(200);
    await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(200);
  });

  it('after a full disk is freed, predictions are logged again', async () => {
    if (!mounted) throw new Error(`cannot run: ${skipReason}`);
    const storage = freshStorage();
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    const history = app.get(PredictionRecordService);
    await expectPredictsWith(app, 'v1');
    const filler = fill(mounted, 'filler', 0);
    await predictUntilRefused(app);
    await history.flush();
    rmSync(filler);
    const res = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(200);
    await history.flush();
    await new Promise((r) => setTimeout(r, 100));
    // The write that hit ENOSPC may have left half a line: read the lines that parse.
    const text = readFileSync(path.join(storage, 'logs', 'inference.log'), 'utf8');
    const ids = text.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line).request_id as string];
      } catch {
        return [];
      }
    });
    expect(ids).toContain(res.body.request_id);
  });
});

describe('the prediction log becoming unwritable while serving', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('the logs folder replaced by a file after the first prediction: predictions are refused (503), /health degraded, reports still answer', async () => {
    const storage = copyOf(oneVersion);
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    await expectPredictsWith(app, 'v1');
    const logs = path.join(storage, 'logs');
    rmSync(logs, { recursive: true, force: true });
    writeFileSync(logs, 'not a folder');
    const refused = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(503);
    expect(refused.body.message).toMatch(/not confirmed: cannot write .*inference\.log/);
    await request(app.getHttpServer())
      .post('/predict/batch')
      .send({ instances: [EXAMPLE_CLIENT, EXAMPLE_CLIENT] })
      .expect(503);
    await app.get(PredictionRecordService).flush();
    const health = await request(app.getHttpServer()).get('/health').expect(200);
    expect(health.body.status).toBe('degraded');
    await request(app.getHttpServer()).get('/monitoring/drift').expect(200);
  });

  it('the logs folder replaced by a file before the first prediction: /predict does not answer 500', async () => {
    const storage = copyOf(oneVersion);
    app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }));
    const logs = path.join(storage, 'logs');
    rmSync(logs, { recursive: true, force: true });
    writeFileSync(logs, 'not a folder');
    const res = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT);
    expect(res.status).toBe(503);
    expect((await request(app.getHttpServer()).get('/health').expect(200)).body.status).toBe('degraded');
  });
});

describe('the storage becoming read-only under a running server (a read-only bind mount over it, in a private mount namespace)', () => {
  const canUnshare = spawnSync('unshare', ['-m', 'true']).status === 0;

  (canUnshare ? it : it.skip)(
    'promote and rollback answer 503 naming the fault, /health is degraded and storage_healthy{what="models"} is 0',
    async () => {
      const storage = copyOf(twoVersions);
      const signal = path.join(makeTempDir('faults-signal-'), 'mount-now');
      scratch.push(path.dirname(signal));
      const token = 'faults-admin-token-0123456789';
      // The server and the mount share a namespace of their own: the mount disappears with them.
      const child = spawn(
        'unshare',
        [
          '-m',
          'sh',
          '-c',
          // The mount comes once the test says the server is up (it creates the signal file).
          '"$0" dist/main.js & pid=$!; echo "server pid $pid"; while [ ! -e "$2" ]; do sleep 0.1; done; mount --bind -o ro "$1" "$1" && echo "storage mounted read-only"; wait $pid',
          process.execPath,
          storage,
          signal,
        ],
        {
          cwd: REPO_ROOT,
          env: {
            ...process.env,
            STORAGE_DIR: storage,
            ADMIN_TOKEN: token,
            AUTO_HEAL: 'false',
            PORT: '0',
            HOST: '127.0.0.1',
            LOG_LEVEL: 'info',
          },
        },
      );
      let output = '';
      child.stdout!.on('data', (c) => (output += c));
      child.stderr!.on('data', (c) => (output += c));
      try {
        const deadline = Date.now() + 30_000;
        let port = 0;
        while (!port && Date.now() < deadline) {
          port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1] ?? 0);
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(port).toBeGreaterThan(0);
        const base = `http://127.0.0.1:${port}`;
        writeFileSync(signal, '');
        while (!output.includes('storage mounted read-only') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        const auth = { Authorization: `Bearer ${token}` };
        const promote = await request(base).post('/models/v1/promote').set(auth);
        expect(promote.status).toBe(503);
        expect(promote.body.message).toMatch(/^the storage cannot be written: .*EROFS/);
        const rollback = await request(base).post('/models/rollback').set(auth);
        expect(rollback.status).toBe(503);
        // A write failed above; the storage probe (every 5 s) says so for the models too.
        let health = await request(base).get('/health').expect(200);
        while (!/EROFS/.test((health.body.reasons ?? []).join('\n')) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
          health = await request(base).get('/health').expect(200);
        }
        expect(health.body.status).toBe('degraded');
        expect(health.body.reasons.join('\n')).toMatch(/EROFS/);
        expect((await request(base).get('/metrics')).text).toMatch(/^storage_healthy\{what="models"\} 0$/m);
        await request(base).post('/predict').send(EXAMPLE_CLIENT).expect(503); // its log cannot be written either
      } finally {
        // The server is the shell's child: stopped by its own pid (unshare -m keeps the pid namespace).
        const pid = Number(/server pid (\d+)/.exec(output)?.[1] ?? 0);
        if (pid > 0) process.kill(pid, 'SIGKILL');
        child.kill('SIGKILL');
        await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      }
    },
  );
});
