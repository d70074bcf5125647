import { readdirSync } from 'node:fs';
import { runCli } from '../support/cli';
import { makeTempDir } from '../support/test-app';
import { TempDatabase, createTempDatabase } from './support/temp-database';

/** `node dist/cli train` with DATABASE_URL trains into the fleet's database, as a replica's first start does. */
describe('node dist/cli train with DATABASE_URL', () => {
  let db: TempDatabase;

  beforeAll(async () => {
    db = await createTempDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('saves and activates each version in the database, never in STORAGE_DIR; --storage still names a file storage', () => {
    const untouched = makeTempDir('cli-train-');
    const env = { DATABASE_URL: db.url, STORAGE_DIR: untouched };
    const first = runCli(['train'], env);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toMatch(/^trained v1 in the database 127\.0\.0\.1:5432\/t_\w+ \(now active\)/);
    const second = runCli(['train', '--seed', '7', '--no-activate'], env);
    expect(second.stdout).toMatch(/^trained v2 in the database .* \(not activated\)/);
    expect(readdirSync(untouched)).toEqual([]);
    const listed = runCli(['models'], env).stdout;
    expect(listed).toMatch(/^v1 +active/m);
    expect(listed).toMatch(/^v2 +archived/m);

    const files = makeTempDir('cli-train-files-');
    const onFiles = runCli(['train', '--storage', files], env);
    expect(onFiles.stdout).toMatch(new RegExp(`^trained v1 in ${files} \\(now active\\)`));
    // --storage means that folder for every command, not the database: it holds v1 only.
    expect(runCli(['models', '--storage', files], env).stdout).not.toMatch(/^v2/m);
  });
});
