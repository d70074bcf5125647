/**
 * The Dockerfile, checked without Docker (these machines cannot run it):
 *  1. what it promises, read from the file itself (multi-stage, npm ci / build / prune, non-root user,
 *     production env, port, volume, health check, exec-form CMD, .dockerignore);
 *  2. its build replayed step by step in a clean copy of the repository (the files git would commit,
 *     less what .dockerignore drops): the build stage's COPY and RUN lines run as written, the runtime
 *     stage is assembled from its COPY lines only, then the image's CMD is started with the image's
 *     ENV and answers /health and /predict, its HEALTHCHECK command passes, the CLI trains in the same
 *     "image", and SIGTERM stops it. As root (CI) the server runs as PID 1 of its own PID namespace
 *     and as an unprivileged user, as it would in the container.
 * Everything stays on 127.0.0.1. npm ci uses the npm registry, or the local npm cache when warm.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import * as path from 'node:path';
import { EXAMPLE_CLIENT, REPO_ROOT, makeTempDir } from '../support/test-app';
import {
  Instruction,
  Stage,
  copyArgs,
  dockerignoreMatcher,
  envAssignments,
  execForm,
  healthcheckArgs,
  parseDockerfile,
  splitStages,
} from './dockerfile';

const DOCKERFILE = readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
const DOCKERIGNORE_PATH = path.join(REPO_ROOT, '.dockerignore');
const STAGES = splitStages(parseDockerfile(DOCKERFILE));
const BUILD = STAGES[0];
const RUNTIME = STAGES[STAGES.length - 1];

const of = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);
const stageEnv = (stage: Stage): Record<string, string> => Object.assign({}, ...of(stage, 'ENV').map((i) => envAssignments(i.args)));
const last = <T>(items: T[]): T | undefined => items[items.length - 1];

/** The Node major of the image (`node:24-...`), or NaN for another image. */
const imageNodeMajor = (image: string): number => Number(/^node:(\d+)(?:[.-]|$)/.exec(image)?.[1]);

describe('Dockerfile: what it promises', () => {
  it('has a build stage and a runtime stage, both on the same Node 24 slim image', () => {
    expect(STAGES.length).toBeGreaterThanOrEqual(2);
    for (const stage of STAGES) {
      expect(imageNodeMajor(stage.image)).toBe(24);
      expect(stage.image).toMatch(/-slim$/);
    }
    expect(RUNTIME.image).toBe(BUILD.image);
    expect(BUILD.name).toBeTruthy();
    const fromBuild = of(RUNTIME, 'COPY')
      .map((i) => copyArgs(i.args))
      .filter((c) => c.from === BUILD.name);
    expect(fromBuild.length).toBeGreaterThan(0);
  });

  it("runs a Node that package.json's engines accept and that .ci/run tests every commit on", () => {
    const major = imageNodeMajor(RUNTIME.image);
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node.split('||').map((part) => part.trim())).toContain(`^${major}`);
    // .ci/run's second pass installs this major's binary from the npm registry (node-linux-<arch>@N).
    const ci = readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(new RegExp(`node-linux-\\S*@${major}\\b`));
    expect(ci).toMatch(new RegExp(`EXPECT_NODE_MAJOR=${major} npm test\\b`));
  });

  it('build stage: npm ci from the lock file, then the build, then npm prune --omit=dev', () => {
    const instructions = BUILD.instructions;
    const at = (test: (i: Instruction) => boolean): number => instructions.findIndex(test);
    const lockCopied = at((i) => i.keyword === 'COPY' && /\bpackage-lock\.json\b/.test(i.args));
    const ci = at((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    const build = at((i) => i.keyword === 'RUN' && /\b(npm run build|nest build)\b/.test(i.args));
    const prune = at((i) => i.keyword === 'RUN' && /\bnpm prune\b.*--omit=dev\b/.test(i.args));
    expect(lockCopied).toBeGreaterThanOrEqual(0);
    expect(ci).toBeGreaterThan(lockCopied);
    expect(build).toBeGreaterThan(ci);
    expect(prune).toBeGreaterThan(build);
    // The build needs the dev dependencies (nest CLI, TypeScript): nothing may drop them before it.
    expect(instructions[ci].args).not.toMatch(/--omit|--production|--only=prod/);
    expect(stageEnv(BUILD).NODE_ENV).toBeUndefined();
  });

  it('installs with no install-time scripts (telemetry), and no package needs one', () => {
    const ci = of(BUILD, 'RUN').find((i) => /\bnpm ci\b/.test(i.args));
    expect(ci?.args).toMatch(/--ignore-scripts\b/);
    expect(stageEnv(BUILD)).toMatchObject({ SCARF_ANALYTICS: 'false', npm_config_update_notifier: 'false' });
    // Skipping install scripts is safe only while none does real work: the lock file lists who has one.
    const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([name]) => name);
    // @scarf/scarf (under swagger-ui-dist) only reports the install to its vendor.
    expect(withScripts).toEqual(['node_modules/@scarf/scarf']);
  });

  it("labels the image the OCI way, with package.json's name, version and licence", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license: string;
    };
    const labels = Object.assign({}, ...of(RUNTIME, 'LABEL').map((i) => envAssignments(i.args))) as Record<string, string>;
    expect(labels).toMatchObject({
      'org.opencontainers.image.title': pkg.name,
      'org.opencontainers.image.version': pkg.version,
      'org.opencontainers.image.licenses': pkg.license,
    });
    expect(labels['org.opencontainers.image.description']).toEqual(expect.any(String));
    expect(labels['org.opencontainers.image.base.name']).toBe(RUNTIME.image);
  });

  it('runtime stage: NODE_ENV=production, the built app only, and no install or build of its own', () => {
    expect(stageEnv(RUNTIME).NODE_ENV).toBe('production');
    const copies = of(RUNTIME, 'COPY').map((i) => copyArgs(i.args));
    const copied = (from: string | null, source: string): boolean =>
      copies.some((c) => c.from === from && c.sources.some((s) => path.posix.basename(s) === source));
    for (const wanted of ['dist', 'node_modules', 'package.json']) expect(copied(BUILD.name, wanted)).toBe(true);
    expect(copied(null, 'data')).toBe(true);
    expect(copied(null, 'src')).toBe(false);
    for (const run of of(RUNTIME, 'RUN')) expect(run.args).not.toMatch(/\b(npm|npx|yarn|pnpm)\s|(^|&&|;|\|\|)\s*node\s/);
  });

  it('runs as the non-root node user, owning only the storage volume, which is STORAGE_DIR', () => {
    const user = last(of(RUNTIME, 'USER'))?.args.trim();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const volume = of(RUNTIME, 'VOLUME');
    expect(volume).toHaveLength(1);
    const volumes = execForm(volume[0].args) ?? volume[0].args.split(/\s+/);
    const storage = stageEnv(RUNTIME).STORAGE_DIR;
    expect(volumes).toEqual([storage]);
    expect(path.posix.isAbsolute(storage)).toBe(true);
    // Docker keeps the ownership a folder has when the VOLUME line is reached; later changes are lost.
    const volumeAt = RUNTIME.instructions.indexOf(volume[0]);
    const chown = RUNTIME.instructions.findIndex(
      (i) => i.keyword === 'RUN' && new RegExp(`\\bchown\\s+(-R\\s+)?${user}\\S*\\s+${storage}(\\s|$)`).test(i.args),
    );
    expect(chown).toBeGreaterThanOrEqual(0);
    expect(chown).toBeLessThan(volumeAt);
    // The user is switched before the command runs, and never back.
    const userAt = RUNTIME.instructions.findIndex((i) => i.keyword === 'USER');
    expect(userAt).toBeLessThan(RUNTIME.instructions.findIndex((i) => i.keyword === 'CMD'));
  });

  it('exposes port 5000, the port the server listens on', () => {
    const exposed = of(RUNTIME, 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
    expect(exposed.map((p) => p.replace(/\/tcp$/, ''))).toEqual(['5000']);
    const env = stageEnv(RUNTIME);
    expect(env.PORT ?? '5000').toBe('5000');
    expect(env.HOST ?? '0.0.0.0').toBe('0.0.0.0'); // reachable from outside the container
  });

  it("health check: Node's own fetch against http://127.0.0.1:<port>/health, with a start period", () => {
    const checks = of(RUNTIME, 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const check = healthcheckArgs(checks[0].args);
    expect(check.exec?.[0]).toBe('node'); // no curl or wget in the slim image, and no shell needed
    expect(check.command).toContain('fetch(');
    expect(check.command).toContain('http://127.0.0.1:');
    expect(check.command).toMatch(/\/health(?![\w/-])/);
    expect(check.command).toMatch(/process\.exit\(1\)/);
    expect(Object.keys(check.options)).toEqual(expect.arrayContaining(['interval', 'timeout', 'start-period', 'retries']));
  });

  it('CMD is exec-form `node <flags> dist/main` with the flags of `npm start` (the server is PID 1 and gets the signals); no ENTRYPOINT', () => {
    const cmd = last(of(RUNTIME, 'CMD'));
    expect(cmd).toBeDefined();
    const start = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(execForm(cmd!.args)).toEqual(start.split(/\s+/));
    expect(start).toMatch(/^node (--[\w-]+=\S+ )*dist\/main$/);
    // Without an ENTRYPOINT, `docker run IMAGE node dist/cli train` runs the CLI in the same image.
    expect(of(RUNTIME, 'ENTRYPOINT')).toHaveLength(0);
  });

  it('.dockerignore keeps local state and build output out, and nothing the Dockerfile copies', () => {
    expect(existsSync(DOCKERIGNORE_PATH)).toBe(true);
    const ignored = dockerignoreMatcher(readFileSync(DOCKERIGNORE_PATH, 'utf8'));
    const mustIgnore = [
      '.git/HEAD',
      'node_modules/jest/package.json',
      'dist/main.js',
      'coverage/lcov.info',
      'storage/registry.json',
      'storage/models/v1/model.json',
      'test-output/swagger-predict.png',
      'bench/results.json',
    ];
    for (const file of mustIgnore) expect([file, ignored(file)]).toEqual([file, true]);
    const contextSources = STAGES.flatMap((s) => of(s, 'COPY'))
      .map((i) => copyArgs(i.args))
      .filter((c) => c.from === null)
      .flatMap((c) => c.sources);
    expect(contextSources.length).toBeGreaterThan(0);
    for (const source of contextSources) {
      expect(source).not.toMatch(/[*?[]/); // the replay below copies plain paths only
      expect([source, existsSync(path.join(REPO_ROOT, source)), ignored(source)]).toEqual([source, true, false]);
    }
  });
});

// ---------------------------------------------------------------------------------------------

const REPLAY_TIMEOUT_MS = 10 * 60_000;

/** Scratch folders of the replay, removed after it whether it passed or not. */
const scratch: string[] = [];
function scratchDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  scratch.push(dir);
  return dir;
}

interface Timing {
  step: string;
  ms: number;
}

/** The environment of a RUN line: this machine's, less what `npm test` and jest add to it. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || ['NODE_ENV', 'INIT_CWD', 'JEST_WORKER_ID', 'NODE_OPTIONS'].includes(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes(`${path.sep}node_modules${path.sep}`) && !dir.endsWith(`${path.sep}node_modules`))
    .join(path.delimiter);
  return { ...env, ...extra };
}

function tail(text: string, chars = 4000): string {
  return text.length > chars ? `...${text.slice(-chars)}` : text;
}

/** Where an absolute path of the image lives in the folder that stands for the image's root. */
function inImage(root: string, imagePath: string): string {
  return path.join(root, path.posix.relative('/', imagePath));
}

/** COPY's rules: a folder's contents go to the destination; files go into it when it is a folder. */
function dockerCopy(source: string, destination: string, destinationIsFolder: boolean): void {
  if (!existsSync(source)) throw new Error(`COPY: ${source} does not exist`);
  if (statSync(source).isDirectory()) {
    cpSync(source, destination, { recursive: true, verbatimSymlinks: true });
  } else {
    const target = destinationIsFolder ? path.join(destination, path.basename(source)) : destination;
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(source, target, { verbatimSymlinks: true });
  }
}

/** The files `git add -A` would take (tracked and untracked-not-ignored), less .dockerignore's. */
function buildContext(): string {
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${REPO_ROOT}: ${listed.stderr || listed.error}`);
  const ignored = dockerignoreMatcher(readFileSync(DOCKERIGNORE_PATH, 'utf8'));
  const context = scratchDir('shmp-docker-context-');
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const source = path.join(REPO_ROOT, file);
    if (ignored(file) || !existsSync(source)) continue; // deleted in the work tree, or left out by .dockerignore
    mkdirSync(path.dirname(path.join(context, file)), { recursive: true });
    cpSync(source, path.join(context, file), { verbatimSymlinks: true });
  }
  return context;
}

interface ReplayedStage {
  root: string;
  workdir: string;
  env: Record<string, string>;
  skippedRuns: string[];
}

/**
 * Replays one stage into a folder standing for the image's root: WORKDIR, ENV, COPY (from the
 * context or an earlier stage) and, if `runCommands`, RUN with `sh -c` in the working directory.
 */
function replayStage(
  stage: Stage,
  context: string,
  earlier: Map<string, ReplayedStage>,
  runCommands: boolean,
  timings: Timing[],
): ReplayedStage {
  const root = scratchDir(`shmp-docker-${stage.name ?? 'stage'}-`);
  let workdir = '/';
  const env: Record<string, string> = {};
  const skippedRuns: string[] = [];
  for (const instruction of stage.instructions) {
    switch (instruction.keyword) {
      case 'WORKDIR':
        workdir = path.posix.resolve(workdir, instruction.args.trim());
        mkdirSync(inImage(root, workdir), { recursive: true });
        break;
      case 'ENV':
        Object.assign(env, envAssignments(instruction.args));
        break;
      case 'COPY': {
        const copy = copyArgs(instruction.args);
        const from = copy.from === null ? null : earlier.get(copy.from);
        if (copy.from !== null && !from) throw new Error(`line ${instruction.line}: no stage named ${copy.from}`);
        const destinationInImage = path.posix.resolve(workdir, copy.destination);
        const destinationIsFolder = copy.destination.endsWith('/') || copy.destination === '.' || copy.sources.length > 1;
        for (const source of copy.sources) {
          const sourcePath = from ? inImage(from.root, path.posix.resolve(from.workdir, source)) : path.join(context, source);
          dockerCopy(sourcePath, inImage(root, destinationInImage), destinationIsFolder);
        }
        break;
      }
      case 'RUN': {
        if (!runCommands) {
          skippedRuns.push(instruction.args);
          break;
        }
        const started = Date.now();
        const result = spawnSync('sh', ['-c', instruction.args], {
          cwd: inImage(root, workdir),
          // npm_config_prefer_offline only spares the registry round trips when the cache is warm.
          env: cleanEnv({ ...env, npm_config_prefer_offline: 'true' }),
          encoding: 'utf8',
          timeout: 6 * 60_000,
          maxBuffer: 64 * 1024 * 1024,
        });
        timings.push({ step: `RUN ${instruction.args}`, ms: Date.now() - started });
        if (result.status !== 0) {
          throw new Error(
            `Dockerfile line ${instruction.line}: RUN ${instruction.args} failed ` +
              `(exit ${result.status}, signal ${result.signal}${result.error ? `, ${result.error.message}` : ''}):\n` +
              tail(`${result.stdout}\n${result.stderr}`),
          );
        }
        break;
      }
      default:
        break; // USER, EXPOSE, VOLUME, HEALTHCHECK, CMD: checked above or applied when starting
    }
  }
  return { root, workdir, env, skippedRuns };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The children of a process (Linux), none once it is gone. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function commandWorks(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

const UNPRIVILEGED = 65534; // nobody: stands for the image's `node` user, which this machine lacks

describe('Dockerfile: its build replayed without Docker', () => {
  let server: ChildProcess | undefined;
  const timings: Timing[] = [];

  afterAll(() => {
    if (server && server.exitCode === null && server.signalCode === null && server.pid) {
      // unshare --kill-child does not reach a server that setpriv started as another user (a change of
      // user clears the parent-death signal): its child, PID 1 of the namespace, goes first, and with
      // it everything in the namespace.
      for (const pid of childPids(server.pid)) process.kill(pid, 'SIGKILL');
      process.kill(server.pid, 'SIGKILL');
    }
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
    if (timings.length > 0) {
      const total = timings.reduce((sum, t) => sum + t.ms, 0);
      const image = imageNodeMajor(RUNTIME.image);
      const runtime = Number(process.versions.node.split('.')[0]);
      console.log(
        `Docker build replayed with Node ${process.version}` +
          `${runtime === image ? " (the image's Node)" : ` (the image runs Node ${image}: .ci/run's Node ${image} pass replays it on that)`}` +
          `; timings:\n${timings.map((t) => `  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.step}`).join('\n')}` +
          `\n  ${(total / 1000).toFixed(1).padStart(6)} s  total`,
      );
    }
  });

  it(
    'builds in a clean copy, serves /health and /predict with the image env, passes its HEALTHCHECK, trains with the CLI, stops on SIGTERM',
    async () => {
      let started = Date.now();
      const context = buildContext();
      timings.push({ step: 'copy the build context (git ls-files -co --exclude-standard, less .dockerignore)', ms: Date.now() - started });

      const stages = new Map<string, ReplayedStage>();
      let runtime: ReplayedStage | undefined;
      for (const stage of STAGES) {
        const isRuntime = stage === RUNTIME;
        started = Date.now();
        const replayed = replayStage(stage, context, stages, !isRuntime, timings);
        if (isRuntime) timings.push({ step: 'assemble the runtime stage from its COPY lines', ms: Date.now() - started });
        if (stage.name) stages.set(stage.name, replayed);
        if (isRuntime) runtime = replayed;
      }
      if (!runtime) throw new Error('no runtime stage');
      // The runtime stage's RUN lines only prepare the storage folder (checked above); here STORAGE_DIR
      // points at a scratch folder instead.
      for (const skipped of runtime.skippedRuns) expect(skipped).toMatch(/^(mkdir|chown|chmod)\b/);

      const app = inImage(runtime.root, runtime.workdir);
      const pkg = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      };
      for (const dependency of Object.keys(pkg.dependencies)) {
        expect([dependency, existsSync(path.join(app, 'node_modules', dependency, 'package.json'))]).toEqual([dependency, true]);
      }
      for (const devOnly of ['jest', 'ts-jest', '@nestjs/cli', 'playwright-core', 'supertest']) {
        expect([devOnly, existsSync(path.join(app, 'node_modules', devOnly))]).toEqual([devOnly, false]);
      }
      expect(existsSync(path.join(app, 'dist', 'main.js'))).toBe(true);
      expect(existsSync(path.join(app, 'dist', 'cli.js'))).toBe(true);
      expect(existsSync(path.join(app, 'src'))).toBe(false);

      // As in the image: code read-only for an unprivileged user, who owns only the storage folder.
      const storage = scratchDir('shmp-docker-storage-');
      const isRoot = process.getuid?.() === 0;
      const asUser = isRoot && commandWorks('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'true']);
      const asPid1 = isRoot && commandWorks('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child', '--', 'true']);
      if (asUser) {
        for (const dir of [runtime.root, storage]) chmodSync(dir, 0o755);
        chownSync(storage, UNPRIVILEGED, UNPRIVILEGED);
      }
      const prefix = [
        ...(asPid1 ? ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child', '--'] : []),
        ...(asUser ? ['setpriv', `--reuid=${UNPRIVILEGED}`, `--regid=${UNPRIVILEGED}`, '--clear-groups', '--'] : []),
      ];
      if (!asPid1 || !asUser) {
        console.warn(
          `container replay: running the server${asPid1 ? '' : ' without its own PID namespace'}` +
            `${asUser ? '' : ' as the current user'} (needs root with unshare and setpriv)`,
        );
      }

      const port = await freePort();
      const env = cleanEnv({
        ...runtime.env,
        HOME: storage,
        PORT: String(port),
        HOST: '127.0.0.1',
        STORAGE_DIR: storage,
        LOG_LEVEL: 'warn',
      });
      expect(env.NODE_ENV).toBe('production');
      const nodeArgv = (argv: string[]): string[] => (argv[0] === 'node' ? [process.execPath, ...argv.slice(1)] : argv);
      const cmd = nodeArgv(execForm(last(of(RUNTIME, 'CMD'))!.args)!);
      const argv = [...prefix, ...cmd];

      started = Date.now();
      let stdout = '';
      let stderr = '';
      const proc = spawn(argv[0], argv.slice(1), { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
      server = proc;
      proc.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        proc.once('exit', (code, signal) => resolve({ code, signal })),
      );
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 90_000;
      let healthy = false;
      while (!healthy) {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          throw new Error(`the server exited (${proc.exitCode ?? proc.signalCode}) before it was healthy:\n${tail(stdout + stderr)}`);
        }
        if (Date.now() > deadline) throw new Error(`the server was not healthy within 90 s:\n${tail(stdout + stderr)}`);
        healthy = await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (!healthy) await new Promise((r) => setTimeout(r, 200));
      }
      timings.push({ step: `start ${cmd.slice(1).join(' ')} (trains v1) until /health is 200`, ms: Date.now() - started });

      // The server, not a wrapper, is PID 1 of its namespace and runs unprivileged.
      let serverPid = proc.pid!;
      if (asPid1) {
        const children = childPids(proc.pid!);
        expect(children).toHaveLength(1);
        serverPid = children[0];
        const status = readFileSync(`/proc/${serverPid}/status`, 'utf8');
        expect(status).toMatch(/^NSpid:\s+\d+\s+1$/m);
        // The node binary itself (setpriv execs it). Not by /proc/<pid>/comm: Node 24 names its main
        // thread, and so the process, `MainThread`.
        expect(realpathSync(readlinkSync(`/proc/${serverPid}/exe`))).toBe(realpathSync(process.execPath));
        if (asUser) expect(status).toMatch(new RegExp(`^Uid:\\s+${UNPRIVILEGED}\\s`, 'm'));
      }

      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'healthy', model_version: 'v1' });
      const predict = await fetch(`${base}/predict`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(EXAMPLE_CLIENT),
      });
      const prediction = (await predict.json()) as Record<string, unknown>;
      expect([predict.status, prediction]).toEqual([200, expect.objectContaining({ model_version: 'v1' })]);
      expect(prediction.prediction_proba).toEqual({ no: expect.any(Number), yes: expect.any(Number) });

      // The image's HEALTHCHECK command, run as Docker would (exec form, the container's env).
      const check = healthcheckArgs(of(RUNTIME, 'HEALTHCHECK')[0].args);
      const checkArgv = nodeArgv(check.exec!);
      const runCheck = () => spawnSync(checkArgv[0], checkArgv.slice(1), { cwd: app, env, encoding: 'utf8', timeout: 15_000 });
      const passing = runCheck();
      expect([passing.status, passing.stderr]).toEqual([0, '']);

      // The CLI in the same image, on the same volume, as the same user.
      started = Date.now();
      const cliArgv = [...prefix, ...nodeArgv(['node', 'dist/cli', 'train'])];
      const cli = spawnSync(cliArgv[0], cliArgv.slice(1), { cwd: app, env, encoding: 'utf8', timeout: 120_000 });
      timings.push({ step: 'node dist/cli train (v2)', ms: Date.now() - started });
      expect([cli.status, cli.stderr]).toEqual([0, '']);
      expect(cli.stdout).toContain(`trained v2 in ${storage}`);

      // docker stop: SIGTERM to PID 1; Nest's shutdown hooks close the server and the process ends.
      started = Date.now();
      process.kill(serverPid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        exited,
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 15_000))),
      ]);
      clearTimeout(timer);
      if (outcome === 'timeout') throw new Error(`the server did not stop within 15 s of SIGTERM:\n${tail(stdout + stderr)}`);
      timings.push({ step: 'SIGTERM until the server exited', ms: Date.now() - started });
      expect([outcome.code === 0 || outcome.signal === 'SIGTERM', outcome, stderr]).toEqual([true, outcome, '']);

      const failing = runCheck();
      expect(failing.status).toBe(1);
    },
    REPLAY_TIMEOUT_MS,
  );
});
