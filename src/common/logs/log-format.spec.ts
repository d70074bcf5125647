import { LoggerService } from '@nestjs/common';
import { FrameworkLinesAtDebug } from './framework-lines';
import { usesPrettyLines } from './log-format';

describe('usesPrettyLines', () => {
  it('pretty on a terminal or when asked for, JSON for pipes and files or when asked for', () => {
    expect(usesPrettyLines('auto', true)).toBe(true);
    expect(usesPrettyLines('auto', false)).toBe(false);
    expect(usesPrettyLines('pretty', false)).toBe(true);
    expect(usesPrettyLines('json', true)).toBe(false);
  });
});

describe('FrameworkLinesAtDebug', () => {
  it("writes Nest's per-module and per-route lines at debug, everything else as it came", () => {
    const calls: Array<[string, unknown[]]> = [];
    const record =
      (level: string) =>
      (...args: unknown[]) =>
        calls.push([level, args]);
    const inner: LoggerService = {
      log: record('log'),
      error: record('error'),
      warn: record('warn'),
      debug: record('debug'),
      verbose: record('verbose'),
    };
    const logger = new FrameworkLinesAtDebug(inner);
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/predict, POST} route', 'RouterExplorer');
    logger.log('InferenceController {/}:', 'RoutesResolver');
    logger.log('serving model v1', 'ActiveModel');
    logger.log('no context');
    logger.warn('careful', 'InstanceLoader');
    logger.error('broken', 'trace', 'ServiceStartup');
    expect(calls).toEqual([
      ['debug', ['AppModule dependencies initialized', 'InstanceLoader']],
      ['debug', ['Mapped {/predict, POST} route', 'RouterExplorer']],
      ['debug', ['InferenceController {/}:', 'RoutesResolver']],
      ['log', ['serving model v1', 'ActiveModel']],
      ['log', ['no context']],
      ['warn', ['careful', 'InstanceLoader']],
      ['error', ['broken', 'trace', 'ServiceStartup']],
    ]);
  });
});
