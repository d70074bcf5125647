import { ShapeError } from '../common/json-shape';
import {
  RegistryState,
  WatchState,
  initialState,
  promoteState,
  readRegistryState,
  rejectState,
  rollbackState,
  holdState,
  statusOf,
  withWatch,
} from './registry-state';

const T0 = new Date('2024-01-01T00:00:00.000Z');
const T1 = new Date('2024-01-02T00:00:00.000Z');
const T2 = new Date('2024-01-03T00:00:00.000Z');

function state(overrides: Partial<RegistryState> = {}): RegistryState {
  const history = overrides.history ?? [];
  return {
    active: 'v3',
    previous: history[history.length - 1] ?? null,
    history,
    rejected: [],
    held: [],
    watch: null,
    updated_at: T0.toISOString(),
    ...overrides,
  };
}

const WATCH: WatchState = { champion: 'v4', previous: 'v3', started_at: T1.toISOString(), labels_needed: 200 };

/** The ShapeError message `fn` throws (fails the test when it does not throw one). */
function shapeError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ShapeError);
    return (err as Error).message;
  }
  throw new Error('expected a ShapeError');
}

describe('statusOf', () => {
  const s = state({ active: 'v3', history: ['v1', 'v2'], rejected: ['v4'] });

  it('names the active, previous, rejected and archived versions', () => {
    expect(statusOf(s, 'v3')).toBe('active');
    expect(statusOf(s, 'v2')).toBe('previous');
    expect(statusOf(s, 'v4')).toBe('rejected');
    expect(statusOf(s, 'v1')).toBe('archived'); // deeper in history
    expect(statusOf(s, 'v9')).toBe('archived');
  });

  it('calls everything archived without a registry', () => {
    expect(statusOf(null, 'v1')).toBe('archived');
  });

  it('ranks active over rejected, and rejected over previous', () => {
    expect(statusOf(state({ active: 'v3', rejected: ['v3'] }), 'v3')).toBe('active');
    expect(statusOf(state({ active: 'v3', history: ['v2'], rejected: ['v2'] }), 'v2')).toBe('rejected');
  });
});

describe('initialState', () => {
  it('makes the version active with nothing before it', () => {
    expect(initialState('v1', T0)).toEqual({
      active: 'v1',
      previous: null,
      history: [],
      rejected: [],
      held: [],
      watch: null,
      updated_at: '2024-01-01T00:00:00.000Z',
    });
  });
});

describe('promoteState', () => {
  it('starts a registry from nothing, with the given watch', () => {
    expect(promoteState(null, 'v1', T0, null)).toEqual(initialState('v1', T0));
    expect(promoteState(null, 'v1', T0, WATCH).watch).toEqual(WATCH);
  });

  it('pushes the replaced version on the history stack and makes it previous', () => {
    const s1 = promoteState(initialState('v1', T0), 'v2', T1, null);
    expect(s1).toEqual({
      active: 'v2',
      previous: 'v1',
      history: ['v1'],
      rejected: [],
      held: [],
      watch: null,
      updated_at: T1.toISOString(),
    });
    const s2 = promoteState(s1, 'v3', T2, WATCH);
    expect(s2).toEqual({
      active: 'v3',
      previous: 'v2',
      history: ['v1', 'v2'],
      rejected: [],
      held: [],
      watch: WATCH,
      updated_at: T2.toISOString(),
    });
  });

  it('moves a version from deep in history to active without listing it twice', () => {
    const s = promoteState(state({ active: 'v3', history: ['v1', 'v2'] }), 'v1', T1, null);
    expect(s.active).toBe('v1');
    expect(s.history).toEqual(['v2', 'v3']);
    expect(s.previous).toBe('v3');
  });

  it('re-promoting the active version keeps the history and updates the watch and time', () => {
    const before = state({ active: 'v3', history: ['v1', 'v2'] });
    const s = promoteState(before, 'v3', T1, WATCH);
    expect(s.history).toEqual(['v1', 'v2']);
    expect(s.previous).toBe('v2');
    expect(s.watch).toEqual(WATCH);
    expect(s.updated_at).toBe(T1.toISOString());
  });

  it('removes the promoted version from the rejected list, and only it', () => {
    const s = promoteState(state({ active: 'v3', rejected: ['v2', 'v4', 'v5'] }), 'v4', T1, null);
    expect(s.rejected).toEqual(['v2', 'v5']);
    expect(statusOf(s, 'v4')).toBe('active');
  });

  it('replaces any watch, including with null', () => {
    expect(promoteState(state({ watch: WATCH }), 'v5', T1, null).watch).toBeNull();
  });

  it('does not change the state it was given', () => {
    const before = state({ active: 'v3', history: ['v1', 'v2'], rejected: ['v4'] });
    const copy = JSON.parse(JSON.stringify(before));
    promoteState(before, 'v4', T1, WATCH);
    expect(before).toEqual(copy);
  });
});

describe('rollbackState', () => {
  it('pops the history stack: the last entry becomes active, the one before it previous', () => {
    const s = rollbackState(state({ active: 'v3', history: ['v1', 'v2'], watch: WATCH }), T1, false);
    expect(s).toEqual({ active: 'v2', previous: 'v1', history: ['v1'], rejected: [], held: [], watch: null, updated_at: T1.toISOString() });
  });

  it('steps back one version per rollback until the history is empty, then throws', () => {
    let s = state({ active: 'v3', history: ['v1', 'v2'] });
    s = rollbackState(s, T1, false);
    expect([s.active, s.previous, s.history]).toEqual(['v2', 'v1', ['v1']]);
    s = rollbackState(s, T2, false);
    expect([s.active, s.previous, s.history]).toEqual(['v1', null, []]);
    expect(() => rollbackState(s, T2, false)).toThrow('there is no previous version to roll back to');
  });

  it('throws with no history, even with rejectCurrent', () => {
    expect(() => rollbackState(initialState('v1', T0), T1, true)).toThrow('there is no previous version to roll back to');
  });

  it('marks the version rolled back from as rejected with rejectCurrent', () => {
    const s = rollbackState(state({ active: 'v3', history: ['v2'], rejected: ['v1'] }), T1, true);
    expect(s.active).toBe('v2');
    expect(s.rejected).toEqual(['v1', 'v3']);
    expect(statusOf(s, 'v3')).toBe('rejected');
  });

  it('does not list a version as rejected twice', () => {
    const s = rollbackState(state({ active: 'v3', history: ['v2'], rejected: ['v3'] }), T1, true);
    expect(s.rejected).toEqual(['v3']);
  });

  it('leaves the rejected list alone without rejectCurrent', () => {
    const s = rollbackState(state({ active: 'v3', history: ['v2'], rejected: ['v1'] }), T1, false);
    expect(s.rejected).toEqual(['v1']);
    expect(statusOf(s, 'v3')).toBe('archived');
  });

  it('always clears the watch', () => {
    expect(rollbackState(state({ history: ['v2'], watch: WATCH }), T1, true).watch).toBeNull();
  });
});

describe('rejectState', () => {
  it('adds a version to the rejected list and stamps the time', () => {
    const before = state({ rejected: ['v1'] });
    const s = rejectState(before, 'v4', T1);
    expect(s.rejected).toEqual(['v1', 'v4']);
    expect(s.updated_at).toBe(T1.toISOString());
    expect(before.rejected).toEqual(['v1']);
  });

  it('is idempotent: rejecting a rejected version returns the same state untouched', () => {
    const once = rejectState(state(), 'v4', T1);
    const twice = rejectState(once, 'v4', T2);
    expect(twice).toBe(once);
    expect(twice.updated_at).toBe(T1.toISOString());
    expect(twice.rejected).toEqual(['v4']);
  });
});

describe('withWatch', () => {
  it('sets or clears the watch and nothing else but the time', () => {
    const before = state({ history: ['v2'] });
    const watched = withWatch(before, WATCH, T1);
    expect(watched).toEqual({ ...before, watch: WATCH, updated_at: T1.toISOString() });
    expect(withWatch(watched, null, T2)).toEqual({ ...before, watch: null, updated_at: T2.toISOString() });
  });
});

describe('holdState', () => {
  it('holds the newest challenger alone: the ones held before it are rejected (superseded)', () => {
    const s1 = holdState(state({ rejected: ['v1'] }), 'v4', T1);
    expect(s1.superseded).toEqual([]);
    expect(s1.state).toMatchObject({ held: ['v4'], rejected: ['v1'], updated_at: T1.toISOString() });
    expect(statusOf(s1.state, 'v4')).toBe('held');
    const s2 = holdState(s1.state, 'v5', T2);
    expect(s2.superseded).toEqual(['v4']);
    expect(s2.state).toMatchObject({ held: ['v5'], rejected: ['v1', 'v4'] });
    expect(statusOf(s2.state, 'v4')).toBe('rejected');
  });

  it('a held challenger promoted leaves the held list; one rejected leaves it too', () => {
    const held = holdState(state(), 'v4', T1).state;
    expect(promoteState(held, 'v4', T2, null)).toMatchObject({ active: 'v4', held: [] });
    expect(rejectState(held, 'v4', T2)).toMatchObject({ held: [], rejected: ['v4'] });
  });
});

describe('readRegistryState', () => {
  it('reads a current file as written', () => {
    const doc = {
      active: 'v4',
      previous: 'v3',
      history: ['v1', 'v3'],
      rejected: ['v2'],
      held: ['v5'],
      watch: WATCH,
      updated_at: T1.toISOString(),
    };
    expect(readRegistryState(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
  });

  it('reads an old file with only active and previous: history = [previous]', () => {
    expect(readRegistryState({ active: 'v2', previous: 'v1', updated_at: T1.toISOString() })).toEqual({
      active: 'v2',
      previous: 'v1',
      history: ['v1'],
      rejected: [],
      held: [],
      watch: null,
      updated_at: T1.toISOString(),
    });
  });

  it('reads an old file with previous null or missing as an empty history', () => {
    for (const doc of [{ active: 'v1', previous: null }, { active: 'v1' }]) {
      const s = readRegistryState(doc);
      expect(s.history).toEqual([]);
      expect(s.previous).toBeNull();
      expect(s.rejected).toEqual([]);
      expect(s.watch).toBeNull();
      expect(s.updated_at).toBe('1970-01-01T00:00:00.000Z');
    }
  });

  it('derives previous from history when both are present', () => {
    const s = readRegistryState({ active: 'v5', previous: 'v2', history: ['v2', 'v4'] });
    expect(s.previous).toBe('v4');
    expect(s.history).toEqual(['v2', 'v4']);
  });

  it('reads a watch, checking every field of it', () => {
    const { labels_needed: _omitted, ...rest } = WATCH;
    expect(() => readRegistryState({ active: 'v4', watch: rest })).toThrow('watch.labels_needed must be a finite number');
    expect(() => readRegistryState({ active: 'v4', watch: { ...WATCH, labels_needed: '50' } })).toThrow('watch.labels_needed');
    expect(() => readRegistryState({ active: 'v4', watch: { ...WATCH, champion: 'best' } })).toThrow(
      'watch.champion must be a version name such as "v1"',
    );
    expect(readRegistryState({ active: 'v4', watch: null }).watch).toBeNull();
  });

  it.each([
    ['a non-object', 'v1', 'registry must be an object'],
    ['null', null, 'registry must be an object'],
    ['an array', ['v1'], 'registry must be an object'],
    ['no active', {}, 'active must be a non-empty string'],
    ['an empty active', { active: '' }, 'active must be a non-empty string'],
    ['a numeric active', { active: 1 }, 'active must be a non-empty string'],
    ['an active that is not a version name', { active: 'latest' }, 'active must be a version name such as "v1"'],
    ['active v0', { active: 'v0' }, 'active must be a version name such as "v1"'],
    ['a numeric previous', { active: 'v2', previous: 1 }, 'previous must be a version name or null'],
    ['a previous that is not a version name', { active: 'v2', previous: 'old' }, 'previous must be a version name or null'],
    ['a history that is not a list', { active: 'v2', history: 'v1' }, 'history must be a list of version names'],
    ['a history with a bad name', { active: 'v2', history: ['v1', 'x'] }, 'history must be a list of version names'],
    ['a history with a number', { active: 'v2', history: [1] }, 'history must be a list of version names'],
    ['a rejected that is not a list', { active: 'v2', rejected: {} }, 'rejected must be a list of version names'],
    ['a rejected with a bad name', { active: 'v2', rejected: ['V3'] }, 'rejected must be a list of version names'],
    ['a watch that is not an object', { active: 'v2', watch: 'v2' }, 'watch must be an object'],
    ['a watch without champion', { active: 'v2', watch: { previous: 'v1', started_at: 'x' } }, 'watch.champion must be a non-empty string'],
    ['a watch without previous', { active: 'v2', watch: { champion: 'v2', started_at: 'x' } }, 'watch.previous must be a non-empty string'],
    [
      'a watch without started_at',
      { active: 'v2', watch: { champion: 'v2', previous: 'v1' } },
      'watch.started_at must be a non-empty string',
    ],
  ])('rejects %s with a message naming the field', (_what, doc, message) => {
    expect(shapeError(() => readRegistryState(doc))).toBe(message);
  });

  it('round-trips every state the transitions produce', () => {
    let s = promoteState(null, 'v1', T0, null);
    s = promoteState(s, 'v2', T1, { ...WATCH, champion: 'v2', previous: 'v1' });
    s = rejectState(s, 'v3', T1);
    s = promoteState(s, 'v4', T2, null);
    s = rollbackState(s, T2, true);
    expect(readRegistryState(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });
});
