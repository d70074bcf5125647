import { CLOCK, SimulatedClock, systemClock } from './clock';

describe('SimulatedClock', () => {
  const START = new Date('2024-01-01T00:00:00.000Z');

  it('first reads the start time, then moves exactly 1 ms per reading', () => {
    const clock = new SimulatedClock(START);
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:00.001Z');
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:00.002Z');
  });

  it('is strictly increasing by 1 ms over many readings, across a second boundary', () => {
    const clock = new SimulatedClock(new Date('2024-01-01T23:59:59.990Z'));
    const times = Array.from({ length: 2000 }, () => clock.now().getTime());
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(1);
    expect(new Date(times[10]).toISOString()).toBe('2024-01-02T00:00:00.000Z');
    // ISO strings sort in the same order, as the prediction history relies on
    const iso = times.map((t) => new Date(t).toISOString());
    expect([...iso].sort()).toEqual(iso);
  });

  it('is deterministic: two clocks from the same start read the same sequence', () => {
    const a = new SimulatedClock(START);
    const b = new SimulatedClock(START);
    for (let i = 0; i < 5; i++) expect(a.now().getTime()).toBe(b.now().getTime());
  });

  it('is not affected by changes to the start date or to the dates it returned', () => {
    const start = new Date(START.getTime());
    const clock = new SimulatedClock(start);
    start.setFullYear(2030);
    const first = clock.now();
    first.setFullYear(2040);
    expect(clock.now().toISOString()).toBe('2024-01-01T00:00:00.001Z');
  });

  it('does not read the system clock', () => {
    const clock = new SimulatedClock(new Date(0));
    expect(clock.now().getTime()).toBe(0);
    expect(clock.now().getTime()).toBe(1);
  });
});

describe('systemClock', () => {
  it('reads the current time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    const after = Date.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });

  it('returns a new Date each time', () => {
    expect(systemClock.now()).not.toBe(systemClock.now());
  });
});

describe('CLOCK', () => {
  it('is a symbol injection token', () => {
    expect(typeof CLOCK).toBe('symbol');
  });
});
