/**
 * `npm start`'s prestart: builds dist/ (`npm run build`) only when it was not built from exactly
 * the sources there now. The build writes a stamp (`--stamp`, run by `npm run build`): a sha256 of
 * every file the build reads (src/, package.json, package-lock.json, tsconfig*.json, nest-cli.json),
 * so a second `npm start` starts at once, and any change, a `git checkout` or a new lock file,
 * rebuilds. Contents, not modification times: a checkout or a copy does not fool it.
 * (A small script of our own: nest build and tsc --build have no "skip when up to date" that
 * survives nest's wiping of dist/ on every build.)
 */
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, readdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.build-inputs.sha256');
const FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

/** Every file under `dir` (relative to root, '/'-separated), sorted. */
function filesUnder(root, dir) {
  const out = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(root, relative));
    else if (entry.isFile()) out.push(relative);
  }
  return out.sort();
}

/** The sha256 of the build's inputs under `root`: each file's path and content. */
function inputsHash(root = ROOT) {
  const hash = createHash('sha256');
  const files = [...FILES.filter((f) => existsSync(path.join(root, f))), ...filesUnder(root, 'src')];
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/ holds a build of exactly these inputs. */
function upToDate(root = ROOT) {
  const stamp = path.join(root, 'dist', '.build-inputs.sha256');
  return existsSync(path.join(root, 'dist', 'main.js')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === inputsHash(root);
}

function main() {
  if (process.argv.includes('--stamp')) {
    writeFileSync(STAMP, `${inputsHash()}\n`);
    return;
  }
  if (upToDate()) {
    process.stdout.write('dist/ is up to date with the sources: not rebuilding\n');
    return;
  }
  process.stdout.write('dist/ is missing or older than the sources: building\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

if (require.main === module) main();

module.exports = { inputsHash, upToDate };
