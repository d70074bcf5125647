import { LOG_FORMATS, LogFormat } from '../common/logs/log-format';
import { DEFAULT_SCHEMA_FILE } from '../data/schema-file';

/**
 * The service's whole configuration, read once from the environment and validated. A bad value
 * stops start-up with one line naming the variable and the rule.
 */
export interface AppConfig {
  port: number;
  host: string;
  storageDir: string;
  dataFile: string;
  /** The dataset schema file (columns, types, target): DATA_SCHEMA. */
  dataSchemaFile: string;
  seed: number;
  logLevel: LogLevel;
  /** pretty, json, or auto: pretty on a terminal, JSON otherwise. */
  logFormat: LogFormat;
  autoTrain: boolean;
  /** Bearer token for the admin endpoints; null turns them off over HTTP. */
  adminToken: string | null;
  /**
   * Bearer token for /feedback and /feedback/batch; null: anyone may send outcomes, and the
   * challengers they lead to are held for an admin rather than promoted on their own.
   */
  feedbackToken: string | null;
  /** Failed authentications a client may make in a minute before it is answered 429. */
  authFailuresPerMinute: number;
  /** Automatically rejected challengers whose artifacts are kept; older ones lose them (metadata and events stay). */
  retainRejected: number;
  /** A server's lock on STORAGE_DIR not refreshed for this long is taken for dead (seconds). */
  storageLockStaleSeconds: number;
  http: HttpLimitsConfig;
  /**
   * The origin users reach the service at (`https://ml.example.com`) when that is not the plain
   * HTTP it listens on, e.g. behind a TLS-terminating proxy; null when unset. An https:// origin
   * turns on HSTS.
   */
  publicUrl: string | null;
  monitoring: MonitoringConfig;
  logs: LogFilesConfig;
  healing: HealingConfig;
  database: DatabaseConfig;
}

/** The shared store of several replicas (issue: scale out); `url` null keeps everything in files. */
export interface DatabaseConfig {
  /** DATABASE_URL, a postgres:// or postgresql:// URL; null: the file store under STORAGE_DIR. */
  url: string | null;
  /** An unreachable database at start is retried with backoff for this long, then start-up fails. */
  connectTimeoutSeconds: number;
  /** Connections in each replica's pool. */
  poolSize: number;
  /** Predictions and outcomes waiting for the database at most; more are refused at once (503). */
  maxPendingRows: number;
}

export const HEAL_STRATEGIES = ['append', 'window'] as const;
export type HealStrategy = (typeof HEAL_STRATEGIES)[number];
export const HEAL_CALIBRATIONS = ['prior', 'balanced'] as const;
export const GATE_SCORES = ['brier', 'log_loss'] as const;
export type GateScore = (typeof GATE_SCORES)[number];
export const GATE_RULES = ['shown_better', 'better_estimate', 'not_worse'] as const;
export type GateRule = (typeof GATE_RULES)[number];
export type HealCalibration = (typeof HEAL_CALIBRATIONS)[number];

/** When and how the service retrains, promotes and rolls back (issue: self-healing). */
export interface HealingConfig {
  /** Run the monitoring + healing loop inside the server. */
  autoHeal: boolean;
  /** Seconds between loop runs; 0 turns the loop off. */
  intervalSeconds: number;
  /** Labelled predictions that must be new since the last run before a challenger is trained. */
  minLabels: number;
  /**
   * New labelled predictions that start a scheduled refresh whatever monitoring says (0: only
   * drifting or degraded start a run). Defaults to HEAL_MIN_LABELS.
   */
  refreshLabels: number;
  /**
   * The gate's margin: the lower bound of the paired interval of (champion loss - challenger loss)
   * on the holdout must exceed it (0: any gain shown with confidence).
   */
  minGain: number;
  /** The proper scoring rule the gate and the search judge by. */
  gateScore: GateScore;
  /** Promote on a gain shown with 95% confidence, or on the estimated gain (see the README). */
  gateRule: GateRule;
  /** The gate needs at least this many positives and this many negatives in its holdout. */
  minPositives: number;
  minNegatives: number;
  /** append: champion's training rows + new labelled rows; window: only the most recent `window` rows. */
  strategy: HealStrategy;
  window: number;
  /** The search's candidates: model spec presets, crossed with feature sets and these training windows. */
  specs: string[];
  searchWindows: number[];
  /**
   * The search's declared default (HEAL_SEARCH_DEFAULT): the spec preset and window a data scientist
   * would run; another candidate replaces it only when shown better on the validation rows
   * (challenger-search.ts). Null (`none`): the lowest validation loss wins, as before.
   */
  searchDefault: SearchDefault | null;
  /** Candidates are tried in order until this much time has gone (the best one so far wins). */
  searchBudgetSeconds: number;
  /**
   * How many validation rows of past searches the search adds to its own when it chooses (the
   * newest searches first; 0, the default: its own rows only; search-evidence.ts).
   */
  searchMemory: number;
  /** Share of the newest labelled rows held out to compare champion and challenger. */
  holdoutShare: number;
  /** prior: a challenger's P(yes) is calibrated to its training rows' base rate; balanced: as `train`. */
  calibration: HealCalibration;
  /** Labelled predictions a new champion is watched over before the watch ends. */
  watchLabels: number;
  /**
   * A champion whose live ROC-AUC fell more than this below its baseline (or below 0.5) while its
   * inputs did not drift is taken for poisoned or broken outcomes: the loop holds for an admin.
   */
  holdAucDrop: number;
}

/** A spec preset of HEAL_SPECS and a window of HEAL_SEARCH_WINDOWS. */
export interface SearchDefault {
  spec: string;
  window: number;
}

/** What one client, or many, may hold of the server (issue: no starvation). */
export interface HttpLimitsConfig {
  /** Open connections at most; beyond it the stalest idle or slow one is closed for the new one. */
  maxConnections: number;
  /** A client must send its request headers within this many seconds, and its whole request within requestTimeoutSeconds. */
  headersTimeoutSeconds: number;
  requestTimeoutSeconds: number;
  /** Batch requests (/predict/batch, /feedback/batch) in progress at most; more are answered 429. */
  maxConcurrentBatches: number;
}

/** Size-based rotation of inference.log and feedback.log. */
export interface LogFilesConfig {
  maxBytes: number;
  /** Rotated files kept beside the live one (file.1 .. file.K). */
  keep: number;
}

/** How the service judges drift and live performance (issue: monitoring). */
export interface MonitoringConfig {
  /** Predictions (with their outcomes) kept in memory for reports and feedback. */
  historySize: number;
  /** Default drift window: the last N predictions. */
  driftWindow: number;
  /** Below this many predictions a drift verdict is `insufficient_data`. */
  driftMinWindow: number;
  /** A feature drifts only when its PSI exceeds this floor (and the sample-size critical value). */
  psiFloor: number;
  /** Dataset drift when at least this share of features drifted. */
  driftShare: number;
  /** Default performance window: the last N labelled predictions. */
  perfWindow: number;
  /** Below this many labelled predictions (or one class only) performance is `insufficient_data`. */
  perfMinLabels: number;
  /** Degraded when live ROC-AUC is more than this below the baseline's. */
  perfAucDrop: number;
  /** Degraded when live F1 is more than this below the baseline's. */
  perfF1Drop: number;
  /** Monitoring snapshots kept (one per MONITOR_INTERVAL_S) for the dashboard's charts over time. */
  snapshotsKept: number;
  /** A report over 10,000 rows or more (or a time range) is computed at most once per window in this many seconds, and shared. */
  reportIntervalSeconds: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    rule: string,
    value: string,
  ) {
    super(`invalid configuration: ${variable} ${rule} (got '${value}')`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads one variable with a default; empty counts as unset. */
class EnvReader {
  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max) {
      throw new ConfigError(name, `must be an integer from ${min} to ${max}`, text);
    }
    return value;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new ConfigError(name, `must be a number from ${min} to ${max}`, text);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const lower = text.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(lower)) return true;
    if (['false', '0', 'no', 'off'].includes(lower)) return false;
    throw new ConfigError(name, 'must be true or false', text);
  }

  /** Comma-separated names (letters, digits, _), each once; at least one. */
  nameList(name: string, fallback: string[]): string[] {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const names = text.split(',').map((part) => part.trim());
    if (names.some((n) => !/^[A-Za-z0-9_]+$/.test(n)) || new Set(names).size !== names.length) {
      throw new ConfigError(name, 'must be a comma-separated list of distinct names', text);
    }
    return names;
  }

  /** Comma-separated whole numbers from min to max, each once; at least one. */
  integerList(name: string, fallback: number[], min: number, max: number): number[] {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    const parts = text.split(',').map((part) => part.trim());
    const values = parts.map(Number);
    if (parts.some((p) => !/^\d+$/.test(p)) || values.some((v) => v < min || v > max) || new Set(values).size !== values.length) {
      throw new ConfigError(name, `must be a comma-separated list of distinct integers from ${min} to ${max}`, text);
    }
    return values;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | null {
    return this.raw(name) ?? null;
  }

  /** A bearer token of at least 16 characters, or null when unset (never shown in errors). */
  token(name: string): string | null {
    const token = this.raw(name) ?? null;
    if (token !== null && token.length < 16) throw new ConfigError(name, 'must be at least 16 characters', '***');
    return token;
  }

  /**
   * An http:// or https:// URL of a service's root (scheme, host, optional port; no path, query,
   * fragment or credentials), returned as its origin (`https://ml.example.com`); null when unset.
   */
  origin(name: string): string | null {
    const text = this.raw(name);
    if (text === undefined) return null;
    const url = parseUrl(text);
    const root =
      url !== null &&
      // As written (URL() forgives \ for /, tabs, ...): no path, query, fragment, user or password.
      /^https?:\/\/[^/?#@\\\s]+\/?$/i.test(text) &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.pathname === '/';
    if (!root) {
      // A value with an @ may carry a password, and this error goes to logs.
      const shown = text.includes('@') ? '***' : text;
      throw new ConfigError(
        name,
        "must be an http:// or https:// URL of the service's root, like https://ml.example.com (no path, query or credentials)",
        shown,
      );
    }
    return url!.origin;
  }

  /**
   * A postgres:// or postgresql:// URL with a host (credentials allowed; never shown in errors);
   * null when unset.
   */
  postgresUrl(name: string): string | null {
    const text = this.raw(name);
    if (text === undefined) return null;
    const url = parseUrl(text);
    const database = url ? decodeURIComponent(url.pathname.replace(/^\//, '')) : '';
    const valid =
      url !== null && (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && !database.includes('/');
    if (!valid) {
      const shown = text.includes('@') ? '***' : text;
      throw new ConfigError(name, 'must be a postgres:// URL such as postgres://user:password@host:5432/database', shown);
    }
    return text;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (!allowed.includes(text as T)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}`, text);
    return text as T;
  }
}

export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const adminToken = read.token('ADMIN_TOKEN');
  const feedbackToken = read.token('FEEDBACK_TOKEN');
  if (feedbackToken !== null && feedbackToken === adminToken) {
    throw new ConfigError(
      'FEEDBACK_TOKEN',
      'must differ from ADMIN_TOKEN (a client that teaches the model must not be able to promote it)',
      '***',
    );
  }
  const requestTimeoutSeconds = read.integer('REQUEST_TIMEOUT_S', 30, 1, 3600);
  const monitoring = loadMonitoringConfig(read);
  // Both count labelled predictions in the in-memory history: more than it holds never come.
  const minLabels = read.integer('HEAL_MIN_LABELS', Math.min(500, monitoring.historySize), 10, monitoring.historySize);
  const searchWindows = read.integerList('HEAL_SEARCH_WINDOWS', [5000, 10_000, 20_000], 100, 5_000_000);
  const specs = read.nameList('HEAL_SPECS', ['prior', 'one_hot']);
  const searchDefault = readSearchDefault(read.optionalString('HEAL_SEARCH_DEFAULT'), specs, searchWindows);
  return {
    port: read.integer('PORT', 5000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    storageDir: read.string('STORAGE_DIR', 'storage'),
    dataFile: read.string('DATA_FILE', 'data/bank-additional.csv'),
    dataSchemaFile: read.string('DATA_SCHEMA', DEFAULT_SCHEMA_FILE),
    seed: read.integer('SEED', 42, 0, 2 ** 32 - 1),
    logLevel: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    logFormat: read.oneOf('LOG_FORMAT', 'auto', LOG_FORMATS),
    autoTrain: read.boolean('AUTO_TRAIN', true),
    adminToken,
    feedbackToken,
    authFailuresPerMinute: read.integer('AUTH_FAILURES_PER_MINUTE', 5, 1, 10_000),
    retainRejected: read.integer('RETAIN_REJECTED', 20, 0, 1_000_000),
    storageLockStaleSeconds: read.integer('STORAGE_LOCK_STALE_S', 10, 2, 3600),
    http: {
      maxConnections: read.integer('MAX_CONNECTIONS', 1000, 1, 1_000_000),
      // No longer than the request timeout (Node refuses a server with more).
      headersTimeoutSeconds: read.integer('HEADERS_TIMEOUT_S', Math.min(10, requestTimeoutSeconds), 1, requestTimeoutSeconds),
      requestTimeoutSeconds,
      maxConcurrentBatches: read.integer('MAX_CONCURRENT_BATCHES', 8, 1, 10_000),
    },
    publicUrl: read.origin('PUBLIC_URL'),
    monitoring,
    logs: {
      maxBytes: read.integer('LOG_MAX_BYTES', 100 * 1024 * 1024, 1024, Number.MAX_SAFE_INTEGER),
      keep: read.integer('LOG_KEEP', 5, 0, 1000),
    },
    healing: {
      autoHeal: read.boolean('AUTO_HEAL', true),
      intervalSeconds: read.integer('MONITOR_INTERVAL_S', 60, 0, 86_400),
      minLabels,
      refreshLabels: read.integer('HEAL_REFRESH_LABELS', minLabels, 0, monitoring.historySize),
      minGain: read.number('HEAL_MIN_GAIN', 0, 0, 1),
      gateScore: read.oneOf('HEAL_GATE_SCORE', 'brier', GATE_SCORES),
      gateRule: read.oneOf('HEAL_GATE_RULE', 'not_worse', GATE_RULES),
      minPositives: read.integer('HEAL_MIN_POSITIVES', 20, 1, monitoring.historySize),
      minNegatives: read.integer('HEAL_MIN_NEGATIVES', 20, 1, monitoring.historySize),
      strategy: read.oneOf('HEAL_STRATEGY', 'window', HEAL_STRATEGIES),
      window: read.integer('HEAL_WINDOW', 20_000, 100, 5_000_000),
      holdoutShare: read.number('HEAL_HOLDOUT_SHARE', 0.3, 0.05, 0.9),
      specs,
      searchWindows,
      searchDefault,
      searchBudgetSeconds: read.integer('HEAL_SEARCH_BUDGET_S', 60, 1, 3600),
      searchMemory: read.integer('HEAL_SEARCH_MEMORY', 0, 0, 5_000_000),
      calibration: read.oneOf('HEAL_CALIBRATION', 'prior', HEAL_CALIBRATIONS),
      watchLabels: read.integer('WATCH_LABELS', Math.min(300, monitoring.historySize), 10, monitoring.historySize),
      holdAucDrop: read.number('HEAL_HOLD_AUC_DROP', 0.25, 0, 1),
    },
    database: {
      url: read.postgresUrl('DATABASE_URL'),
      connectTimeoutSeconds: read.integer('DATABASE_CONNECT_TIMEOUT_S', 30, 0, 3600),
      poolSize: read.integer('DATABASE_POOL_SIZE', 10, 2, 1000),
      maxPendingRows: read.integer('DATABASE_MAX_PENDING_ROWS', 200_000, 1000, 10_000_000),
    },
  };
}

/**
 * HEAL_SEARCH_DEFAULT: `<spec>/<window>` (a preset of HEAL_SPECS, a window of HEAL_SEARCH_WINDOWS)
 * or `none`. Unset: `one_hot` (one-hot categories, no class weights: the standard practice) when
 * HEAL_SPECS lists it, else its first preset, on 10,000 rows when HEAL_SEARCH_WINDOWS lists it,
 * else its middle window.
 */
function readSearchDefault(text: string | null, specs: readonly string[], windows: readonly number[]): SearchDefault | null {
  if (text === null) {
    const sorted = [...windows].sort((a, b) => a - b);
    return {
      spec: specs.includes('one_hot') ? 'one_hot' : specs[0],
      window: windows.includes(10_000) ? 10_000 : sorted[Math.floor((sorted.length - 1) / 2)],
    };
  }
  if (text.toLowerCase() === 'none') return null;
  const match = /^([A-Za-z0-9_]+)\/(\d+)$/.exec(text);
  if (!match || !specs.includes(match[1]) || !windows.includes(Number(match[2]))) {
    throw new ConfigError(
      'HEAL_SEARCH_DEFAULT',
      `must be none or <spec>/<window> with a spec of HEAL_SPECS (${specs.join(', ')}) and a window of HEAL_SEARCH_WINDOWS (${windows.join(', ')})`,
      text,
    );
  }
  return { spec: match[1], window: Number(match[2]) };
}

function loadMonitoringConfig(read: EnvReader): MonitoringConfig {
  const historySize = read.integer('HISTORY_SIZE', 50_000, 100, 5_000_000);
  const driftWindow = read.integer('DRIFT_WINDOW', 1000, 1, historySize);
  const perfWindow = read.integer('PERF_WINDOW', 1000, 1, historySize);
  return {
    historySize,
    driftWindow,
    // Larger than the default window, every default report would be insufficient_data (so the
    // default follows a smaller window).
    driftMinWindow: read.integer('DRIFT_MIN_WINDOW', Math.min(100, driftWindow), 1, driftWindow),
    psiFloor: read.number('PSI_FLOOR', 0.1, 0, 10),
    driftShare: read.number('DRIFT_SHARE', 0.5, 0, 1),
    perfWindow,
    perfMinLabels: read.integer('PERF_MIN_LABELS', Math.max(2, Math.min(200, perfWindow)), 2, perfWindow),
    perfAucDrop: read.number('PERF_AUC_DROP', 0.05, 0, 1),
    perfF1Drop: read.number('PERF_F1_DROP', 0.1, 0, 1),
    snapshotsKept: read.integer('MONITOR_SNAPSHOTS', 1440, 10, 100_000),
    reportIntervalSeconds: read.integer('REPORT_INTERVAL_S', 5, 0, 3600),
  };
}

/** The URL `text` spells, or null when it is not one. */
function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
