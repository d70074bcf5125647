import { MonitoringSnapshot } from './monitoring-snapshot';

/** What others may read of the monitoring snapshots (a Nest DI token); only the recorder writes them. */
export abstract class SnapshotSeries {
  /** Snapshots oldest first, at most MONITOR_SNAPSHOTS of them. */
  abstract snapshots(): readonly MonitoringSnapshot[];
  /** Seconds between snapshots (MONITOR_INTERVAL_S); 0 when none are taken. */
  abstract readonly intervalSeconds: number;
  /** The last problem loading or saving the series, or null when the last save worked. */
  abstract problem(): string | null;
}
