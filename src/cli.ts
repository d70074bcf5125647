import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';
import { loadConfig } from './config/app-config';

/** Commander reports its own usage errors; these codes mean it only printed help or a version. */
const BENIGN_COMMANDER_CODES = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

async function main(): Promise<void> {
  loadConfig(); // a bad environment variable is one clear line and exit 1, before anything runs
  await CommandFactory.run(CliModule, {
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

main().catch((err: Error) => {
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
});
