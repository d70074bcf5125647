import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 5000,
      host: '0.0.0.0',
      storageDir: 'storage',
      dataFile: 'data/bank-additional.csv',
      dataSchemaFile: 'data/bank-marketing.schema.json',
      seed: 42,
      logLevel: 'info',
      logFormat: 'auto',
      autoTrain: true,
      adminToken: null,
      feedbackToken: null,
      authFailuresPerMinute: 5,
      retainRejected: 20,
      storageLockStaleSeconds: 10,
      http: { maxConnections: 1000, headersTimeoutSeconds: 10, requestTimeoutSeconds: 30, maxConcurrentBatches: 8 },
      publicUrl: null,
      monitoring: {
        historySize: 50_000,
        driftWindow: 1000,
        driftMinWindow: 100,
        psiFloor: 0.1,
        driftShare: 0.5,
        perfWindow: 1000,
        perfMinLabels: 200,
        perfAucDrop: 0.05,
        perfF1Drop: 0.1,
        snapshotsKept: 1440,
        reportIntervalSeconds: 5,
      },
      logs: { maxBytes: 104_857_600, keep: 5 },
      healing: {
        autoHeal: true,
        intervalSeconds: 60,
        minLabels: 500,
        refreshLabels: 500,
        minGain: 0,
        gateScore: 'brier',
        gateRule: 'not_worse',
        minPositives: 20,
        minNegatives: 20,
        strategy: 'window',
        window: 20_000,
        specs: ['prior', 'one_hot'],
        searchWindows: [5000, 10_000, 20_000],
        searchDefault: { spec: 'one_hot', window: 10_000 },
        searchBudgetSeconds: 60,
        searchMemory: 0,
        holdoutShare: 0.3,
        calibration: 'prior',
        watchLabels: 300,
        holdAucDrop: 0.25,
      },
      database: { url: null, connectTimeoutSeconds: 30, poolSize: 10, maxPendingRows: 200_000 },
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
    expect(loadConfig({ LOG_FORMAT: 'json', MONITOR_SNAPSHOTS: '60' })).toMatchObject({
      logFormat: 'json',
      monitoring: { snapshotsKept: 60 },
    });
    expect(config.adminToken).toBe('a-long-enough-secret');
    expect(loadConfig({ PORT: '  ' }).port).toBe(5000);
    expect(loadConfig({ HEAL_CALIBRATION: 'balanced', HEAL_WINDOW: '5000' }).healing).toMatchObject({
      calibration: 'balanced',
      window: 5000,
    });
    expect(loadConfig({}).healing).toMatchObject({
      specs: ['prior', 'one_hot'],
      searchWindows: [5000, 10_000, 20_000],
      searchDefault: { spec: 'one_hot', window: 10_000 },
      gateRule: 'not_worse',
      gateScore: 'brier',
    });
    expect(loadConfig({ HEAL_MIN_LABELS: '800' }).healing).toMatchObject({ minLabels: 800, refreshLabels: 800 });
    expect(loadConfig({ HEAL_REFRESH_LABELS: '0', HEAL_SEARCH_MEMORY: '20000', HEAL_GATE_RULE: 'shown_better' }).healing).toMatchObject({
      refreshLabels: 0,
      searchMemory: 20_000,
      gateRule: 'shown_better',
    });
    expect(loadConfig({ HEAL_SPECS: ' one_hot , prior ', HEAL_SEARCH_WINDOWS: '10000, 2000' }).healing).toMatchObject({
      specs: ['one_hot', 'prior'],
      searchWindows: [10_000, 2000],
    });
  });

  it('reads the search default, or takes one_hot on 10,000 rows (else the first spec and the middle window)', () => {
    expect(loadConfig({ HEAL_SEARCH_DEFAULT: 'prior/20000' }).healing.searchDefault).toEqual({ spec: 'prior', window: 20_000 });
    expect(loadConfig({ HEAL_SEARCH_DEFAULT: 'none' }).healing.searchDefault).toBeNull();
    expect(loadConfig({ HEAL_SPECS: 'prior', HEAL_SEARCH_WINDOWS: '8000,2000,4000' }).healing.searchDefault).toEqual({
      spec: 'prior',
      window: 4000,
    });
  });

  it('lowers the defaults that count within a window or the history when those are set smaller', () => {
    const small = loadConfig({ HISTORY_SIZE: '250', DRIFT_WINDOW: '50', PERF_WINDOW: '150' });
    expect(small.monitoring).toMatchObject({ driftMinWindow: 50, perfMinLabels: 150 });
    expect(small.healing).toMatchObject({ minLabels: 250, watchLabels: 250 });
  });

  it.each([
    [{ PORT: 'abc' }, "PORT must be an integer from 0 to 65535 (got 'abc')"],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535'],
    [{ PORT: '50.5' }, 'PORT must be an integer'],
    [{ SEED: '-1' }, 'SEED must be an integer from 0'],
    [{ AUTO_TRAIN: 'maybe' }, 'AUTO_TRAIN must be true or false'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN must be at least 16 characters'],
    [{ FEEDBACK_TOKEN: 'short' }, 'FEEDBACK_TOKEN must be at least 16 characters'],
    [{ ADMIN_TOKEN: 'the-same-long-secret', FEEDBACK_TOKEN: 'the-same-long-secret' }, 'FEEDBACK_TOKEN must differ from ADMIN_TOKEN'],
    [{ AUTH_FAILURES_PER_MINUTE: '0' }, 'AUTH_FAILURES_PER_MINUTE must be an integer from 1 to 10000'],
    [{ RETAIN_REJECTED: '-1' }, 'RETAIN_REJECTED must be an integer from 0 to 1000000'],
    [{ STORAGE_LOCK_STALE_S: '1' }, 'STORAGE_LOCK_STALE_S must be an integer from 2 to 3600'],
    [{ MAX_CONNECTIONS: '0' }, 'MAX_CONNECTIONS must be an integer from 1 to 1000000'],
    [{ REQUEST_TIMEOUT_S: '0' }, 'REQUEST_TIMEOUT_S must be an integer from 1 to 3600'],
    [{ REQUEST_TIMEOUT_S: '5', HEADERS_TIMEOUT_S: '6' }, 'HEADERS_TIMEOUT_S must be an integer from 1 to 5'],
    [{ MAX_CONCURRENT_BATCHES: 'many' }, 'MAX_CONCURRENT_BATCHES must be an integer from 1 to 10000'],
    [{ REPORT_INTERVAL_S: '-1' }, 'REPORT_INTERVAL_S must be an integer from 0 to 3600'],
    [{ HEAL_HOLD_AUC_DROP: '1.5' }, 'HEAL_HOLD_AUC_DROP must be a number from 0 to 1'],
    [{ DRIFT_SHARE: '2' }, 'DRIFT_SHARE must be a number from 0 to 1'],
    [{ DRIFT_WINDOW: '-5' }, 'DRIFT_WINDOW must be an integer from 1 to 50000'],
    [{ HISTORY_SIZE: '1000', DRIFT_WINDOW: '2000' }, 'DRIFT_WINDOW must be an integer from 1 to 1000'],
    [{ DRIFT_WINDOW: '50', DRIFT_MIN_WINDOW: '60' }, 'DRIFT_MIN_WINDOW must be an integer from 1 to 50'],
    [{ PERF_WINDOW: '150', PERF_MIN_LABELS: '151' }, 'PERF_MIN_LABELS must be an integer from 2 to 150'],
    [{ HISTORY_SIZE: '400', HEAL_MIN_LABELS: '401' }, 'HEAL_MIN_LABELS must be an integer from 10 to 400'],
    [{ HISTORY_SIZE: '1000', WATCH_LABELS: '2000' }, 'WATCH_LABELS must be an integer from 10 to 1000'],
    [{ PSI_FLOOR: 'x' }, 'PSI_FLOOR must be a number'],
    [{ LOG_MAX_BYTES: '10' }, 'LOG_MAX_BYTES must be an integer from 1024'],
    [{ LOG_KEEP: '-1' }, 'LOG_KEEP must be an integer from 0 to 1000'],
    [{ HEAL_STRATEGY: 'always' }, 'HEAL_STRATEGY must be one of append, window'],
    [{ HEAL_CALIBRATION: 'platt' }, 'HEAL_CALIBRATION must be one of prior, balanced'],
    [{ MONITOR_INTERVAL_S: '-60' }, 'MONITOR_INTERVAL_S must be an integer from 0'],
    [{ HEAL_MIN_GAIN: '2' }, 'HEAL_MIN_GAIN must be a number from 0 to 1'],
    [{ HEAL_GATE_SCORE: 'auc' }, 'HEAL_GATE_SCORE must be one of brier, log_loss'],
    [{ HEAL_GATE_RULE: 'always' }, 'HEAL_GATE_RULE must be one of shown_better, better_estimate, not_worse'],
    [{ HEAL_MIN_POSITIVES: '0' }, 'HEAL_MIN_POSITIVES must be an integer from 1 to 50000'],
    [{ HEAL_SPECS: 'one_hot,,prior' }, 'HEAL_SPECS must be a comma-separated list of distinct names'],
    [{ HEAL_SPECS: 'one_hot,one_hot' }, 'HEAL_SPECS must be a comma-separated list of distinct names'],
    [{ HEAL_SPECS: 'one-hot' }, 'HEAL_SPECS must be a comma-separated list of distinct names'],
    [{ HEAL_SEARCH_WINDOWS: '5000,abc' }, 'HEAL_SEARCH_WINDOWS must be a comma-separated list of distinct integers from 100 to 5000000'],
    [{ HEAL_SEARCH_WINDOWS: '50' }, 'HEAL_SEARCH_WINDOWS must be a comma-separated list of distinct integers from 100 to 5000000'],
    [{ HEAL_SEARCH_WINDOWS: '5000,5000' }, 'HEAL_SEARCH_WINDOWS must be a comma-separated list of distinct integers from 100 to 5000000'],
    [{ HEAL_SEARCH_DEFAULT: 'one_hot' }, 'HEAL_SEARCH_DEFAULT must be none or <spec>/<window> with a spec of HEAL_SPECS'],
    [
      { HEAL_SEARCH_DEFAULT: 'original/10000' },
      'HEAL_SEARCH_DEFAULT must be none or <spec>/<window> with a spec of HEAL_SPECS (prior, one_hot)',
    ],
    [{ HEAL_SEARCH_DEFAULT: 'one_hot/7000' }, 'and a window of HEAL_SEARCH_WINDOWS (5000, 10000, 20000)'],
    [{ HEAL_SEARCH_BUDGET_S: '0' }, 'HEAL_SEARCH_BUDGET_S must be an integer from 1 to 3600'],
    [{ AUTO_HEAL: 'sometimes' }, 'AUTO_HEAL must be true or false'],
    [{ LOG_FORMAT: 'colour' }, 'LOG_FORMAT must be one of auto, pretty, json'],
    [{ MONITOR_SNAPSHOTS: '5' }, 'MONITOR_SNAPSHOTS must be an integer from 10 to 100000'],
    [
      { DATABASE_URL: 'localhost:5432' },
      "DATABASE_URL must be a postgres:// URL such as postgres://user:password@host:5432/database (got 'localhost:5432')",
    ],
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL must be a postgres:// URL'],
    [{ DATABASE_URL: 'postgres://' }, 'DATABASE_URL must be a postgres:// URL'],
    [
      { DATABASE_URL: 'postgres://u:secret@db:5432/a/b' },
      "DATABASE_URL must be a postgres:// URL such as postgres://user:password@host:5432/database (got '***')",
    ],
    [{ DATABASE_CONNECT_TIMEOUT_S: '-1' }, 'DATABASE_CONNECT_TIMEOUT_S must be an integer from 0 to 3600'],
    [{ DATABASE_POOL_SIZE: '1' }, 'DATABASE_POOL_SIZE must be an integer from 2 to 1000'],
    [{ DATABASE_MAX_PENDING_ROWS: '10' }, 'DATABASE_MAX_PENDING_ROWS must be an integer from 1000 to 10000000'],
  ])('rejects %j with one line naming the variable and the rule', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads PUBLIC_URL as the origin of the service root', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://ml.example.com' }).publicUrl).toBe('https://ml.example.com');
    expect(loadConfig({ PUBLIC_URL: ' HTTPS://ML.Example.com:8443/ ' }).publicUrl).toBe('https://ml.example.com:8443');
    expect(loadConfig({ PUBLIC_URL: 'https://ml.example.com:443' }).publicUrl).toBe('https://ml.example.com');
    expect(loadConfig({ PUBLIC_URL: 'http://10.0.0.7:5000' }).publicUrl).toBe('http://10.0.0.7:5000');
    expect(loadConfig({ PUBLIC_URL: 'http://[::1]:5000/' }).publicUrl).toBe('http://[::1]:5000');
    expect(loadConfig({ PUBLIC_URL: '' }).publicUrl).toBeNull();
  });

  it.each([
    'ml.example.com',
    'https://',
    'https:ml.example.com',
    'https:/ml.example.com',
    'ftp://ml.example.com',
    'ws://ml.example.com',
    'https://ml.example.com/api',
    'https://ml.example.com/docs/',
    'https://ml.example.com\\api',
    'https://ml.example.com?x=1',
    'https://ml.example.com?',
    'https://ml.example.com#top',
    'https://ml.example.com:99999',
    'https://ml.example.com:https',
    'https://ml example.com',
    'true',
  ])('rejects PUBLIC_URL %j with one line naming it', (value) => {
    expect(() => loadConfig({ PUBLIC_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: value })).toThrow(
      `invalid configuration: PUBLIC_URL must be an http:// or https:// URL of the service's root, like https://ml.example.com (no path, query or credentials) (got '${value}')`,
    );
  });

  it('never echoes a PUBLIC_URL that may carry credentials', () => {
    for (const value of ['https://user:secret@ml.example.com', 'https://secret@ml.example.com', 'https://us er:secret@x']) {
      expect(() => loadConfig({ PUBLIC_URL: value })).toThrow("PUBLIC_URL must be an http:// or https:// URL of the service's root");
      expect(() => loadConfig({ PUBLIC_URL: value })).toThrow("(got '***')");
    }
  });

  it('reads DATABASE_URL as given (postgres:// or postgresql://)', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).database.url).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
    expect(loadConfig({ DATABASE_URL: ' postgresql://u:p@db/ml ' }).database.url).toBe('postgresql://u:p@db/ml');
  });

  it('never echoes the admin token in its error', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'secret' })).toThrow("(got '***')");
  });
});
