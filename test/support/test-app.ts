import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppModule } from '../../src/app.module';
import { APP_CONFIG, AppConfig, loadConfig } from '../../src/config/app-config';
import { APP_OPTIONS, configureApp } from '../../src/configure-app';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SMALL_DATA = path.join(REPO_ROOT, 'data', 'bank-additional.csv');
export const FULL_DATA = path.join(REPO_ROOT, 'data', 'bank-additional-full.csv');

export function makeTempDir(prefix = 'shmp-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A configuration as the server would read it, with a scratch storage folder and quiet logs. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ STORAGE_DIR: makeTempDir(), DATA_FILE: SMALL_DATA, LOG_LEVEL: 'silent', ...env });
}

/** The real AppModule, configured exactly as main.ts does, on an ephemeral port-less server. */
export async function createTestApp(config: AppConfig = testConfig()): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication(APP_OPTIONS);
  configureApp(app);
  await app.init();
  return app;
}

/** The seed's example request: the first row of data/bank-additional.csv without `duration`. */
export const EXAMPLE_CLIENT = Object.freeze({
  age: 30,
  job: 'blue-collar',
  marital: 'married',
  education: 'basic.9y',
  default: 'no',
  housing: 'yes',
  loan: 'no',
  contact: 'cellular',
  month: 'may',
  day_of_week: 'fri',
  campaign: 2,
  pdays: 999,
  previous: 0,
  poutcome: 'nonexistent',
  emp_var_rate: -1.8,
  cons_price_idx: 92.893,
  cons_conf_idx: -46.2,
  euribor3m: 1.313,
  nr_employed: 5099.1,
});
