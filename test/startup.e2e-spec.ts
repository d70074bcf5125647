import { INestApplication } from '@nestjs/common';
import { existsSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { EXAMPLE_CLIENT, createTestApp, makeTempDir, testConfig } from './support/test-app';
import { runCli } from './support/cli';

describe('start-up with what storage holds', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('with AUTO_TRAIN=false and no model: /health and /predict answer 503 saying how to train', async () => {
    const config = testConfig({ AUTO_TRAIN: 'false' });
    app = await createTestApp(config);
    const health = await request(app.getHttpServer()).get('/health').expect(503);
    expect(health.body).toMatchObject({ status: 'unhealthy', model_version: null });
    expect(health.body.reason).toContain('node dist/cli train');
    const predict = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(503);
    expect(predict.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(predict.body.message).toContain('node dist/cli train');
    await request(app.getHttpServer()).get('/info').expect(503);
    expect(existsSync(path.join(config.storageDir, 'models'))).toBe(false);
  });

  it('serves the model the CLI trained, without training again', async () => {
    const storage = makeTempDir();
    expect(runCli(['train', '--storage', storage]).status).toBe(0);
    app = await createTestApp(testConfig({ STORAGE_DIR: storage }));
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body.model_version).toBe('v1');
    expect(existsSync(path.join(storage, 'models', 'v2'))).toBe(false);
  });

  describe('a corrupt or missing artifact of the active version', () => {
    let storage: string;

    beforeEach(() => {
      storage = makeTempDir();
      expect(runCli(['train', '--storage', storage]).status).toBe(0);
      expect(runCli(['train', '--storage', storage, '--seed', '7']).status).toBe(0); // v2 active, v1 previous
    });

    const damages: Array<[string, (file: string) => void]> = [
      ['deleted', (file) => rmSync(file)],
      ['truncated', (file) => truncateSync(file, 40)],
      ['not JSON', (file) => writeFileSync(file, 'garbage')],
      ['the wrong shape', (file) => writeFileSync(file, '{"coefficients": [1, 2]}')],
    ];
    const files = ['models/v2/model.json', 'models/v2/preprocessor.json', 'models/v2/metadata.json', 'baseline/v2/stats.json'];

    for (const [damage, apply] of damages) {
      it.each(files)(`${damage}: %s is named and the last good version serves`, async (relative) => {
        apply(path.join(storage, relative));
        app = await createTestApp(testConfig({ STORAGE_DIR: storage, LOG_LEVEL: 'warn' }));
        const res = await request(app.getHttpServer()).get('/health').expect(200);
        expect(res.body.model_version).toBe('v1');
        const predict = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(200);
        expect(predict.body.model_version).toBe('v1');
      });
    }

    it('when no version can be loaded, /health is 503 and names the broken files', async () => {
      rmSync(path.join(storage, 'models', 'v2', 'model.json'));
      writeFileSync(path.join(storage, 'models', 'v1', 'preprocessor.json'), '{');
      app = await createTestApp(testConfig({ STORAGE_DIR: storage }));
      const res = await request(app.getHttpServer()).get('/health').expect(503);
      expect(res.body.reason).toContain(path.join(storage, 'models', 'v2', 'model.json'));
      expect(res.body.reason).toContain(path.join(storage, 'models', 'v1', 'preprocessor.json'));
      await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(503);
    });
  });
});
