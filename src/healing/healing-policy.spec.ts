import { ModelEvent } from '../model-registry/model-event';
import { WatchState } from '../model-registry/registry-state';
import { HistoryItem } from '../predictions/prediction-history';
import {
  holdoutShortfall,
  labelledAfter,
  labelsConsideredUntil,
  healNeed,
  reasonNotToHeal,
  reasonToHold,
  skipKey,
  watchEvidence,
} from './healing-policy';

const at = (second: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, second)).toISOString();

function item(second: number, actual: 0 | 1, version = 'v2'): HistoryItem {
  return {
    entry: {
      request_id: `r${second}`,
      timestamp: at(second),
      model_version: version,
      input: {} as never,
      prediction: 0,
      probability: 0.3,
      latency_ms: 0,
    },
    actual,
    sequence: second,
    anonymous: false,
  };
}

describe('reasonNotToHeal', () => {
  it('heals only a drifting or degraded service with enough new labels', () => {
    expect(reasonNotToHeal('drifting', 500, 500)).toBeNull();
    expect(reasonNotToHeal('degraded', 900, 500)).toBeNull();
    expect(reasonNotToHeal('healthy', 900, 500)).toBe('monitoring says healthy: nothing to heal');
    expect(reasonNotToHeal('insufficient_data', 900, 500)).toBe('monitoring says insufficient_data: nothing to heal');
    expect(reasonNotToHeal('degraded', 499, 500)).toBe(
      'degraded, but only 499 labelled predictions are new since the last run (HEAL_MIN_LABELS is 500)',
    );
  });

  it('with HEAL_REFRESH_LABELS, enough new labels start a refresh whatever monitoring says', () => {
    expect(reasonNotToHeal('healthy', 2000, 500, 2000)).toBeNull();
    expect(reasonNotToHeal('insufficient_data', 2500, 500, 2000)).toBeNull();
    expect(reasonNotToHeal('healthy', 1999, 500, 2000)).toBe(
      'monitoring says healthy: nothing to heal before a refresh (1999 labelled predictions are new since the last run, HEAL_REFRESH_LABELS is 2000)',
    );
    // Detected change still heals sooner, at HEAL_MIN_LABELS.
    expect(reasonNotToHeal('drifting', 600, 500, 2000)).toBeNull();
    // A refresh never runs on fewer labels than any run needs.
    expect(reasonNotToHeal('healthy', 300, 500, 200)).toBe(
      'monitoring says healthy: nothing to heal before a refresh (300 labelled predictions are new since the last run, HEAL_REFRESH_LABELS is 200)',
    );
  });
});

describe('healNeed', () => {
  it('a run on drifting or degraded heals; on anything else it is a scheduled refresh', () => {
    expect(healNeed('drifting')).toBe('heal');
    expect(healNeed('degraded')).toBe('heal');
    expect(healNeed('healthy')).toBe('refresh');
    expect(healNeed('insufficient_data')).toBe('refresh');
  });
});

describe('labelledAfter', () => {
  it('keeps the predictions served strictly after the mark, all of them without one', () => {
    const items = [item(1, 0), item(2, 1), item(3, 0)];
    expect(labelledAfter(items, at(2)).map((i) => i.sequence)).toEqual([3]);
    expect(labelledAfter(items, null)).toHaveLength(3);
  });
});

describe('skipKey', () => {
  it('is the same for reasons that differ only in their counts, and differs by verdict', () => {
    expect(skipKey('drifting', 'only 3 new (min 500)')).toBe(skipKey('drifting', 'only 47 new (min 500)'));
    expect(skipKey('drifting', 'only 3 new')).not.toBe(skipKey('degraded', 'only 3 new'));
    expect(skipKey('healthy', 'nothing to heal')).not.toBe(skipKey('healthy', 'something else'));
  });
});

describe('labelsConsideredUntil', () => {
  const event = (type: ModelEvent['type'], until?: unknown): ModelEvent => ({
    time: at(0),
    type,
    actor: 'auto',
    reason: '',
    ...(until === undefined ? {} : { trigger: { labels_until: until } }),
  });

  it('is the labels_until of the newest promoted, rejected or failed run', () => {
    expect(labelsConsideredUntil([event('rejected', at(5)), event('promoted', at(9)), event('heal_skipped', at(12))])).toBe(at(9));
    expect(labelsConsideredUntil([event('heal_failed', at(4)), event('trained'), event('watch_passed')])).toBe(at(4));
    expect(labelsConsideredUntil([event('promoted', at(2)), event('held', at(6))])).toBe(at(6)); // a held challenger's run considered them too
  });

  it('is null with no such run, or when the run recorded no mark', () => {
    expect(labelsConsideredUntil([])).toBeNull();
    expect(labelsConsideredUntil([event('heal_skipped', at(3)), event('trained')])).toBeNull();
    expect(labelsConsideredUntil([event('promoted', at(3)), event('rejected', null)])).toBeNull();
    expect(labelsConsideredUntil([event('promoted')])).toBeNull();
  });
});

describe('watchEvidence', () => {
  const watch: WatchState = { champion: 'v2', previous: 'v1', started_at: at(10), labels_needed: 4 };
  const minimum = { positives: 1, negatives: 1 };

  it('takes the labelled rows the champion served since its promotion, labels_needed of them when both outcomes are there', () => {
    const rows = [item(5, 1), item(11, 1, 'v1'), item(12, 0), item(13, 1), item(14, 0), item(15, 1), item(16, 0)];
    const evidence = watchEvidence(watch, rows, minimum);
    expect(evidence.ready).toBe(true);
    expect(evidence.ready && evidence.rows.map((r) => r.sequence)).toEqual([12, 13, 14, 15]);
  });

  it('is not ready with too few rows', () => {
    expect(watchEvidence(watch, [item(12, 0), item(13, 1)], minimum)).toEqual({
      ready: false,
      reason: 'watching v2: 2 of 4 labelled predictions (1 yes, 1 no; at least 1 and 1 needed)',
    });
  });

  it('waits past labels_needed until each outcome reaches its minimum, rather than never settling', () => {
    const rows = [item(12, 0), item(13, 0), item(14, 0), item(15, 0), item(16, 0), item(17, 1), item(18, 1)];
    expect(watchEvidence(watch, rows.slice(0, 5), minimum).ready).toBe(false);
    const evidence = watchEvidence(watch, rows, { positives: 2, negatives: 1 });
    expect(evidence.ready && evidence.rows.map((r) => r.sequence)).toEqual([12, 13, 14, 15, 16, 17, 18]);
  });
});

describe('holdoutShortfall', () => {
  it('is null with enough of each outcome, else says what is missing and which settings', () => {
    expect(holdoutShortfall([1, 0, 1, 0], { positives: 2, negatives: 2 })).toBeNull();
    expect(holdoutShortfall([0, 0, 0, 1], { positives: 2, negatives: 2 })).toBe(
      'the holdout of the newest labels holds 1 yes and 3 no, fewer than HEAL_MIN_POSITIVES (2) or HEAL_MIN_NEGATIVES (2): waiting for more labels',
    );
  });
});

describe('reasonToHold', () => {
  const calm = { labels: 600, anonymousLabels: 0, liveRocAuc: 0.75, baselineRocAuc: 0.77, inputsDrifted: false };

  it('lets a change go ahead on trusted outcomes and a champion that has not collapsed', () => {
    expect(reasonToHold(calm, 0.25)).toBeNull();
    expect(reasonToHold({ ...calm, liveRocAuc: null }, 0.25)).toBeNull(); // too few labels to judge a collapse
  });

  it('holds when any outcome it rests on is anonymous, counting them', () => {
    expect(reasonToHold({ ...calm, anonymousLabels: 1 }, 0.25)).toBe(
      'held for an admin: 1 of the 600 outcomes it rests on came from anonymous feedback (no FEEDBACK_TOKEN)',
    );
  });

  it('holds a collapse below chance or far below the baseline while the inputs have not drifted', () => {
    expect(reasonToHold({ ...calm, liveRocAuc: 0.2 }, 0.25)).toMatch(
      /live ROC-AUC 0\.2000 is below chance \(0\.5\) while its inputs have not drifted/,
    );
    expect(reasonToHold({ ...calm, liveRocAuc: 0.51 }, 0.25)).toMatch(/live ROC-AUC 0\.5100 is 0\.2600 below its baseline 0\.7700/);
    expect(reasonToHold({ ...calm, liveRocAuc: 0.53 }, 0.25)).toBeNull(); // a drop of 0.24: within HEAL_HOLD_AUC_DROP
  });

  it('a collapse with drifted inputs is a changed world, not a reason to hold', () => {
    expect(reasonToHold({ ...calm, liveRocAuc: 0.2, inputsDrifted: true }, 0.25)).toBeNull();
  });

  it('gives every reason at once', () => {
    const reason = reasonToHold({ ...calm, anonymousLabels: 600, liveRocAuc: 0.2 }, 0.25)!;
    expect(reason).toMatch(/^held for an admin: 600 of the 600 .*anonymous.*; the champion's live ROC-AUC 0\.2000/);
  });
});
