import { OffloadWorker } from '../../common/worker-offload';
import { workerScript } from '../../common/worker-script';
import { ReferenceStatistics } from '../../training/reference-statistics';
import { DriftOptions, DriftReport, DriftWindow, computeDriftReport } from './feature-drift';
import { PackedDriftWindow, packDriftWindow, unpackDriftWindow } from './packed-drift-window';

export interface DriftJob {
  reference: ReferenceStatistics;
  window: PackedDriftWindow;
  options: DriftOptions;
}

/**
 * Drift reports over large windows in a worker thread, so /predict is not held up while one is
 * computed. Small windows (and any window once the worker fails) are computed here; the report is
 * the same either way (see OffloadWorker).
 */
export class DriftReportOffload {
  private readonly worker: OffloadWorker<DriftJob>;

  constructor(minRows: number, warn: (message: string) => void = () => undefined) {
    this.worker = new OffloadWorker<DriftJob>(
      {
        minRows,
        maxPending: 4,
        timeoutMs: 60_000,
        script: () => workerScript(__dirname, 'drift-report.worker'),
        what: 'the drift report',
        instead: 'large drift reports are now computed on the request thread',
      },
      warn,
    );
  }

  async report(reference: ReferenceStatistics, window: DriftWindow | PackedDriftWindow, options: DriftOptions): Promise<DriftReport> {
    const packed = isPacked(window) ? window : null;
    const bytes = await this.worker.run({
      rows: window.probabilities.length,
      pack: () => {
        const payload = packed ?? packDriftWindow(window as DriftWindow);
        // Copied, not transferred: a job the worker gives back undone is computed here, from the same arrays.
        return { payload: { reference, window: payload, options }, transfer: [] };
      },
      here: () =>
        Buffer.from(JSON.stringify(computeDriftReport(reference, packed ? unpackDriftWindow(packed) : (window as DriftWindow), options))),
    });
    return JSON.parse(bytes.toString('utf8')) as DriftReport;
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}

function isPacked(window: DriftWindow | PackedDriftWindow): window is PackedDriftWindow {
  const first = Object.values(window.categorical)[0] as unknown;
  return first !== undefined && !Array.isArray(first);
}
