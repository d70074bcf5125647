import pino, { Logger } from 'pino';
import pretty from 'pino-pretty';
import { LogFormat, usesPrettyLines } from './log-format';

export interface AppLoggerOptions {
  level: string;
  format: LogFormat;
  /** Paths pino replaces with [Redacted] (e.g. the Authorization header of a request line). */
  redact?: string[];
  /** Whether stdout is a terminal (process.stdout.isTTY by default). */
  stdoutIsTTY?: boolean;
}

/**
 * The service's pino logger. Pretty lines go through pino-pretty synchronously, so each line is
 * written when it is logged (with its own time) and nothing is lost at exit; colours only on a terminal.
 */
export function createAppLogger(options: AppLoggerOptions): Logger {
  const tty = options.stdoutIsTTY ?? process.stdout.isTTY === true;
  const settings = { level: options.level, redact: options.redact ?? [] };
  if (!usesPrettyLines(options.format, tty)) return pino(settings);
  return pino(
    settings,
    pretty({
      sync: true,
      colorize: tty,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    }),
  );
}
