/**
 * Where the service reads the time for what it records and compares (prediction timestamps, a
 * watch's start). Production reads the system clock; a replay of history uses a simulated one,
 * so its report is the same on every run.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };

/** Starts at `start` and moves one millisecond per reading: strictly increasing, deterministic. */
export class SimulatedClock implements Clock {
  private ms: number;

  constructor(start: Date) {
    this.ms = start.getTime();
  }

  now(): Date {
    return new Date(this.ms++);
  }
}
