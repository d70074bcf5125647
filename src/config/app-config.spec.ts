import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 5000,
      host: '0.0.0.0',
      storageDir: 'storage',
      dataFile: 'data/bank-additional.csv',
      seed: 42,
      logLevel: 'info',
      autoTrain: true,
      adminToken: null,
    });
  });

  it('reads every variable, treating empty values as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      STORAGE_DIR: '/var/lib/shmp',
      DATA_FILE: 'x.csv',
      SEED: '7',
      LOG_LEVEL: 'debug',
      AUTO_TRAIN: 'false',
      ADMIN_TOKEN: 'a-long-enough-secret',
      UNRELATED: 'ignored',
    });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', seed: 7, autoTrain: false, logLevel: 'debug' });
    expect(config.adminToken).toBe('a-long-enough-secret');
    expect(loadConfig({ PORT: '  ' }).port).toBe(5000);
  });

  it.each([
    [{ PORT: 'abc' }, "PORT must be an integer from 0 to 65535 (got 'abc')"],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535'],
    [{ PORT: '50.5' }, 'PORT must be an integer'],
    [{ SEED: '-1' }, 'SEED must be an integer from 0'],
    [{ AUTO_TRAIN: 'maybe' }, 'AUTO_TRAIN must be true or false'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN must be at least 16 characters'],
  ])('rejects %j with one line naming the variable and the rule', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes the admin token in its error', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'secret' })).toThrow("(got '***')");
  });
});
