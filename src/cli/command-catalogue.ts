/**
 * Every CLI command's name, arguments and one-line description: what `--help` prints without
 * loading Nest, and what each command's @Command decorator reads (one source for both).
 * `takesOptions` only shapes the usage line; `readsStorage`: `--storage DIR` points the command at
 * another storage folder (it stands for STORAGE_DIR; replay's own --storage is its scratch service's).
 */
export const COMMANDS = {
  schema: {
    name: 'schema',
    takesOptions: true,
    readsSchema: false,
    description: 'Write a draft dataset schema for a CSV (--data, --target, --positive, --out) to review',
  },
  train: {
    name: 'train',
    takesOptions: true,
    readsSchema: true,
    readsStorage: true,
    description: 'Train a new model version from a CSV file and make it active',
  },
  drift: {
    name: 'drift',
    takesOptions: true,
    readsSchema: true,
    readsStorage: true,
    description: 'Print a drift report over the latest logged predictions',
  },
  models: {
    name: 'models',
    takesOptions: true,
    readsSchema: true,
    readsStorage: true,
    description: 'List model versions with status and metrics (--events: the audit trail)',
  },
  promote: {
    name: 'promote',
    arguments: '<version>',
    readsSchema: true,
    readsStorage: true,
    description: 'Make a version active (a running server follows within 2 s)',
  },
  rollback: {
    name: 'rollback',
    takesOptions: true,
    readsSchema: true,
    readsStorage: true,
    description: 'Serve the previous active version again (a running server follows within 2 s)',
  },
  heal: {
    name: 'heal',
    takesOptions: true,
    readsSchema: true,
    readsStorage: true,
    description: 'Run the healing loop once over the logged predictions and outcomes (a running server follows within 2 s)',
  },
  'migrate-storage': {
    name: 'migrate-storage',
    takesOptions: true,
    readsSchema: true,
    readsStorage: true,
    description: 'Copy a file storage (versions, registry, events, predictions, outcomes) into an empty PostgreSQL database (--to)',
  },
  replay: {
    name: 'replay',
    takesOptions: true,
    readsSchema: true,
    description: 'Replay a date-ordered data file through predict -> feedback -> heal, against static and always-retrain baselines',
  },
} as const;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name);
}

/** The top-level usage, as `node dist/cli --help` prints it. */
export function usage(): string {
  const entries = Object.values(COMMANDS).map((c) => {
    const args = 'arguments' in c ? ` ${c.arguments}` : 'takesOptions' in c ? ' [options]' : '';
    return [`${c.name}${args}`, c.description];
  });
  const width = Math.max(...entries.map(([left]) => left.length));
  return [
    'Usage: node dist/cli <command> [options]',
    '',
    'Commands:',
    ...entries.map(([left, text]) => `  ${left.padEnd(width)}  ${text}`),
    '',
    "Run `node dist/cli <command> --help` for a command's options; `node dist/cli --version` prints the version.",
    'train, drift and replay read rows with --schema FILE (default: DATA_SCHEMA, else data/bank-marketing.schema.json).',
    '',
  ].join('\n');
}

/** Whether `--storage DIR` stands for STORAGE_DIR for this command. */
export function readsStorage(name: CommandName): boolean {
  return 'readsStorage' in COMMANDS[name];
}
