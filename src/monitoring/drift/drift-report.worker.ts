import { answerWithBytes } from '../../common/worker-offload-answer';
import { DriftJob } from './drift-report-offload';
import { computeDriftReport } from './feature-drift';
import { unpackDriftWindow } from './packed-drift-window';

/** Worker thread: a large window's drift report (KS over 50,000 values is ~150 ms), as JSON. */
answerWithBytes((job: DriftJob) =>
  Buffer.from(JSON.stringify(computeDriftReport(job.reference, unpackDriftWindow(job.window), job.options))),
);
