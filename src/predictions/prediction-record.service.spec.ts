import { logsShortOfHistory } from './prediction-record.service';

describe('logsShortOfHistory', () => {
  it('is null when the kept logs hold the history', () => {
    expect(logsShortOfHistory({ maxBytes: 100 * 1024 * 1024, keep: 5 }, 50_000, 420)).toBeNull();
  });

  it('warns, with the figures, when they hold fewer predictions than HISTORY_SIZE', () => {
    expect(logsShortOfHistory({ maxBytes: 1_000_000, keep: 1 }, 50_000, 400)).toBe(
      'the logs kept (LOG_MAX_BYTES 1000000 x (LOG_KEEP 1 + 1)) hold about 5000 predictions of ~400 bytes, fewer than HISTORY_SIZE (50000): ' +
        'after a restart older predictions are forgotten and feedback for them is 404',
    );
  });
});
