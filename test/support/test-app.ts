import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppModule } from '../../src/app.module';
import { APP_CONFIG, AppConfig, loadConfig } from '../../src/config/app-config';
import { APP_OPTIONS, configureApp, createHttpAdapter } from '../../src/configure-app';

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

/** The real AppModule on the same HTTP adapter and configuration as main.ts, port-less. */
export async function createTestApp(config: AppConfig = testConfig()): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication(createHttpAdapter(), APP_OPTIONS);
  configureApp(app);
  await app.init();
  return app;
}

export { EXAMPLE_CLIENT } from '../../src/data/testing/bank-schema';
