import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, isCommandName, readsStorage, usage } from './cli/command-catalogue';
import { storageArgument } from './cli/storage-option';

/** Commander reports its own usage errors; these codes mean it only printed help or a version. */
const BENIGN_COMMANDER_CODES = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

async function main(): Promise<void> {
  const name = process.argv[2];
  // The overview needs no command's code: answered before Nest is loaded.
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    // package.json sits beside dist/ (and src/), in the repository as in the image.
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { name: string; version: string };
    process.stdout.write(`${pkg.name} ${pkg.version}\n`);
    return;
  }
  if (!isCommandName(name)) {
    const known = Object.keys(COMMANDS).join(', ');
    throw new Error(`unknown command '${name}' (commands: ${known}; see --help)`);
  }
  // `--schema FILE` is DATA_SCHEMA for this command: every module reads the schema from the config.
  const args = process.argv.slice(3);
  if (args.includes('--help') || args.includes('-h')) {
    // A command's help reads no data: its modules are built on the shipped schema, wherever this runs from.
    process.env.DATA_SCHEMA = path.join(__dirname, '..', (await import('./data/schema-file')).DEFAULT_SCHEMA_FILE);
  } else {
    const schemaFile = schemaOption(args);
    if (schemaFile !== undefined) process.env.DATA_SCHEMA = schemaFile;
  }
  if (readsStorage(name)) {
    // --storage DIR stands for STORAGE_DIR: every module of the command then reads that folder.
    const storage = storageArgument(args, name !== 'train');
    if (storage !== undefined) process.env.STORAGE_DIR = storage;
    // ... and a file storage, not the shared database (no connection is opened), except for
    // migrate-storage, which copies that folder into DATABASE_URL.
    if (storage !== undefined && name !== 'migrate-storage') delete process.env.DATABASE_URL;
  }
  await import('reflect-metadata');
  const [{ loadConfig }, { readSchemaFile }] = await Promise.all([import('./config/app-config'), import('./data/schema-file')]);
  // A bad environment variable or schema file is one clear line and exit 1, before anything runs.
  const config = loadConfig();
  if (COMMANDS[name].readsSchema) readSchemaFile(config.dataSchemaFile);
  const [{ CommandFactory }, { COMMAND_MODULES }] = await Promise.all([import('nest-commander'), import('./cli/command-modules')]);
  await CommandFactory.run(await COMMAND_MODULES[name](), {
    logger: ['error'],
    errorHandler: (err: Error & { code?: string; exitCode?: number }) => {
      process.exit(err.code && BENIGN_COMMANDER_CODES.has(err.code) ? 0 : 1);
    },
    serviceErrorHandler: (err: Error) => {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(1);
    },
  });
}

/** The value of `--schema FILE` or `--schema=FILE`, if given. */
function schemaOption(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--schema') {
      if (args[i + 1] === undefined || args[i + 1].startsWith('--')) throw new Error('--schema needs a file');
      return args[i + 1];
    }
    if (args[i].startsWith('--schema=')) return args[i].slice('--schema='.length);
  }
  return undefined;
}

main().catch((err: Error) => {
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
});
