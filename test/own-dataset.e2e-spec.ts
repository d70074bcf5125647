/**
 * Issue 13: bring your own dataset. The README's "Your own data" flow on a CSV with other columns
 * than bank marketing (test/fixtures/loans.csv: comma-separated, a header with spaces and dots, an
 * id, a date, a Y/N target): `schema` -> `train --schema` -> `DATA_SCHEMA=... node dist/main` ->
 * /predict, /feedback, drift and the OpenAPI document, all from the schema; and its bad inputs.
 */
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { runCli } from './support/cli';
import { ServerProcess, startServer } from './support/server-process';
import { REPO_ROOT, makeTempDir } from './support/test-app';

const LOANS = path.join(REPO_ROOT, 'test', 'fixtures', 'loans.csv');

describe('your own data: the README flow on another schema', () => {
  let dir: string;
  let schemaFile: string;
  let storage: string;
  let server: ServerProcess;
  let example: Record<string, number | string>;

  beforeAll(async () => {
    dir = await makeTempDir('own-dataset-');
    schemaFile = path.join(dir, 'loans.schema.json');
    storage = path.join(dir, 'storage');
  });

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('schema: writes a draft with types, renames, the id, the time column and the target, and prints a summary', async () => {
    const result = runCli(['schema', '--data', LOANS, '--target', 'defaulted', '--positive', 'Y', '--out', schemaFile]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/read 1200 rows of .*loans\.csv \(separator ","\)/);
    expect(result.stdout).toMatch(/Annual_Income\s+Annual Income\s+feature\s+numeric/);
    const draft = JSON.parse(await fsp.readFile(schemaFile, 'utf8'));
    const byName = Object.fromEntries(draft.columns.map((c: { name: string }) => [c.name, c]));
    expect(byName.applicant_id).toMatchObject({ csv_name: 'applicant id', role: 'id' });
    expect(byName.years_employed).toMatchObject({ csv_name: 'years.employed', type: 'integer' });
    expect(byName.region).toMatchObject({ type: 'categorical', categories: ['east', 'north', 'south', 'west'] });
    expect(byName.applied_on).toMatchObject({ role: 'time' });
    expect(byName.defaulted).toMatchObject({ role: 'target', categories: ['N', 'Y'] });
    example = draft.example;
    expect(Object.keys(example)).toEqual(['Annual_Income', 'years_employed', 'region', 'purpose', 'debt_ratio']);
  });

  it('schema: bad input is one line and exit 1, nothing written', () => {
    const out = path.join(dir, 'never.json');
    const cases: Array<[string[], RegExp]> = [
      [['--target', 'nope', '--positive', 'Y'], /^error: --target 'nope' is not a column/],
      [['--target', 'defaulted', '--positive', 'yes'], /^error: --positive 'yes' is not a value of 'defaulted'/],
      [['--target', 'region', '--positive', 'north'], /^error: 'region' has 4 distinct values: the target must have exactly two/],
    ];
    for (const [args, message] of cases) {
      const result = runCli(['schema', '--data', LOANS, ...args, '--out', out]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
    const again = runCli(['schema', '--data', LOANS, '--target', 'defaulted', '--positive', 'Y', '--out', schemaFile]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('train --schema: trains v1 on the file and records the schema', async () => {
    const result = runCli(['train', '--data', LOANS, '--schema', schemaFile, '--storage', storage]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/trained v1 .*\n.*schema loans \(sha256 [0-9a-f]{12}\)/);
    const metadata = JSON.parse(await fsp.readFile(path.join(storage, 'models', 'v1', 'metadata.json'), 'utf8'));
    expect(metadata.schema).toMatchObject({ name: 'loans' });
    expect(metadata.metrics.validation.roc_auc).toBeGreaterThan(0.6);
    expect(JSON.parse(await fsp.readFile(path.join(storage, 'models', 'v1', 'schema.json'), 'utf8')).name).toBe('loans');
  });

  it('train: a CSV that does not match the schema, or a bad schema file, is one line and exit 1, nothing saved', async () => {
    const bank = runCli([
      'train',
      '--data',
      path.join(REPO_ROOT, 'data', 'bank-additional.csv'),
      '--schema',
      schemaFile,
      '--storage',
      storage,
    ]);
    expect(bank.status).toBe(1);
    // A ';' file read with the schema's ',' separator: one line naming the file (the parser finds the quotes wrong first).
    expect(bank.stderr.trim().split('\n')).toHaveLength(1);
    expect(bank.stderr).toMatch(/^error: .*bank-additional\.csv(, line 1)?: /);
    const broken = path.join(dir, 'broken.schema.json');
    await fsp.writeFile(broken, '{"name":"x","positive_label":"Y","columns":[{"name":"a","type":"float"}]}');
    const bad = runCli(['train', '--data', LOANS, '--schema', broken, '--storage', storage]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe(`error: ${broken}: columns[0].type must be one of numeric, integer, categorical, got "float"`);
    expect(await fsp.readdir(path.join(storage, 'models'))).toEqual(['v1']);
  });

  it('DATA_SCHEMA=... serves it: /predict, 400s naming the field, feedback with its labels, drift, /info', async () => {
    server = await startServer({ STORAGE_DIR: storage, DATA_SCHEMA: schemaFile, DATA_FILE: LOANS, AUTO_HEAL: 'false' });
    const post = (url: string, body: unknown) =>
      fetch(`${server.baseUrl}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ok = await post('/predict', example);
    expect(ok.status).toBe(200);
    const answer = (await ok.json()) as { prediction_label: string; prediction_proba: Record<string, number>; request_id: string };
    expect(['N', 'Y']).toContain(answer.prediction_label);
    expect(Object.keys(answer.prediction_proba)).toEqual(['N', 'Y']);

    const bad = await post('/predict', { ...example, region: 'mars', years_employed: 1.5, age: 30 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string[] }).message).toEqual([
      'property age should not exist',
      'years_employed must be an integer number',
      'region must be one of the following values: east, north, south, west',
    ]);

    const feedback = await post('/feedback', { request_id: answer.request_id, actual: 'Y' });
    expect(feedback.status).toBe(200);
    const wrongLabel = await post('/feedback', { request_id: answer.request_id, actual: 'yes' });
    expect(wrongLabel.status).toBe(400);

    const batch = await post('/predict/batch', { instances: Array.from({ length: 150 }, () => example) });
    expect(batch.status).toBe(200);
    const drift = (await (await fetch(`${server.baseUrl}/monitoring/drift`)).json()) as { features: Array<{ feature: string }> };
    expect(drift.features.map((f) => f.feature)).toEqual(['Annual_Income', 'years_employed', 'region', 'purpose', 'debt_ratio']);
    const info = (await (await fetch(`${server.baseUrl}/info`)).json()) as { feature_names: string[]; schema: { name: string } };
    expect(info).toMatchObject({ feature_names: Object.keys(example), schema: { name: 'loans' } });

    const doc = (await (await fetch(`${server.baseUrl}/docs-json`)).json()) as {
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; example?: unknown }> };
    };
    const row = doc.components.schemas.PredictRequestDto;
    expect(row.example).toEqual(example);
    expect(row.properties.years_employed).toMatchObject({ type: 'integer' });
    expect(row.properties.region).toMatchObject({ enum: ['east', 'north', 'south', 'west'] });
  });

  it('serving that storage with another schema is refused at start, in one line', async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    const other = await startServer({ STORAGE_DIR: storage }).then(
      () => null,
      (err: Error) => err.message,
    );
    expect(other).toMatch(/server exited with 1 before listening/);
    expect(other).toMatch(
      /cannot start: v1 was trained with schema loans \(sha256 [0-9a-f]{12}\) but the configured schema .* is bank-marketing/,
    );
  });
});
