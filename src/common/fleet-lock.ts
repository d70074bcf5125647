/** The locks held across every replica of the service; one process alone needs no more than its own flags. */
export type FleetLockName = 'healing' | 'first-training';

/**
 * A lock shared by every replica (a Nest DI token): with a shared database, PostgreSQL advisory
 * locks; alone on files, this process is the whole fleet.
 */
export abstract class FleetLock {
  /** Runs `work` holding the lock if no replica holds it; `{ ran: false }` at once if one does. */
  abstract tryWhileHeld<T>(name: FleetLockName, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  /** Waits for the lock, then runs `work` holding it. */
  abstract whileHeld<T>(name: FleetLockName, work: () => Promise<T>): Promise<T>;
}

/** One process is the whole fleet: its own flags already exclude (see HealingService). */
export class LocalFleetLock extends FleetLock {
  async tryWhileHeld<T>(_name: FleetLockName, work: () => Promise<T>): Promise<{ ran: true; value: T }> {
    return { ran: true, value: await work() };
  }

  whileHeld<T>(_name: FleetLockName, work: () => Promise<T>): Promise<T> {
    return work();
  }
}
