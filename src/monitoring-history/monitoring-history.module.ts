import { Module } from '@nestjs/common';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { SnapshotRecorder } from './snapshot-recorder';
import { SnapshotSeries } from './snapshot-series';

/**
 * Monitoring over time: a bounded series of snapshots taken every MONITOR_INTERVAL_S and kept in
 * storage/monitoring/snapshots.json. SnapshotRecorder is its only writer; others read SnapshotSeries.
 */
@Module({
  imports: [MonitoringModule],
  providers: [SnapshotRecorder, { provide: SnapshotSeries, useExisting: SnapshotRecorder }],
  exports: [SnapshotRecorder, SnapshotSeries],
})
export class MonitoringHistoryModule {}
