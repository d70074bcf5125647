import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runInWorker } from './one-shot-worker';

/** A worker script in plain JavaScript, written to a scratch folder. */
function script(source: string): { file: string; execArgv: string[] } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'one-shot-')), 'test.worker.js');
  writeFileSync(file, `const { parentPort, resourceLimits } = require('node:worker_threads');\n${source}\n`);
  return { file, execArgv: [] };
}

/** The same answering code the service's workers use, loaded from the compiled or source module. */
const ANSWER_ONCE = `const { answerOnce } = require(${JSON.stringify(path.join(__dirname, 'one-shot-worker.ts'))});`;
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

describe('runInWorker', () => {
  it('settles with what answerOnce makes of the job, with the buffers it sends', async () => {
    const worker = script(`${ANSWER_ONCE}
      answerOnce(async (job) => {
        const bytes = new Uint8Array([job.n, job.n * 2]);
        return { result: { sum: job.n + 1, bytes }, transfer: [bytes.buffer] };
      });`);
    const result = await runInWorker<{ n: number }, { sum: number; bytes: Uint8Array }>({
      script: { ...worker, execArgv: TS_NODE },
      job: { n: 20 },
      what: 'the test worker',
    });
    expect(result.sum).toBe(21);
    expect([...result.bytes]).toEqual([20, 40]);
  }, 30_000);

  it('rejects with the message of the error the work threw, as it was', async () => {
    const worker = script(`${ANSWER_ONCE}
      answerOnce(async () => { throw new Error('loans.csv: cannot train: one class'); });`);
    await expect(runInWorker({ script: { ...worker, execArgv: TS_NODE }, job: {}, what: 'the test worker' })).rejects.toThrow(
      /^loans\.csv: cannot train: one class$/,
    );
  }, 30_000);

  it('rejects a job that cannot be sent instead of waiting for an answer that never comes', async () => {
    const worker = script(`parentPort.once('message', () => parentPort.postMessage({ ok: true, result: 'never' }));`);
    const job = { send: () => undefined };
    await expect(runInWorker({ script: worker, job, what: 'the test worker' })).rejects.toThrow(
      /^the test worker: the job cannot be sent: /,
    );
  }, 30_000);

  it('names the worker when it dies of an uncaught error', async () => {
    const worker = script(`parentPort.once('message', () => { throw new Error('boom'); });`);
    await expect(runInWorker({ script: worker, job: {}, what: 'the test worker' })).rejects.toThrow('the test worker failed: boom');
  }, 30_000);

  it('names the worker when it exits without answering', async () => {
    const worker = script(`parentPort.once('message', () => process.exit(3));`);
    await expect(runInWorker({ script: worker, job: {}, what: 'the test worker' })).rejects.toThrow('the test worker exited with code 3');
  }, 30_000);

  it('starts the worker with the resource limits asked for (the young generation training runs in)', async () => {
    const worker = script(`parentPort.once('message', () => parentPort.postMessage({ ok: true, result: resourceLimits }));`);
    const limits = await runInWorker<object, { maxYoungGenerationSizeMb: number }>({
      script: worker,
      job: {},
      resourceLimits: { maxYoungGenerationSizeMb: 48 },
      what: 'the test worker',
    });
    expect(limits.maxYoungGenerationSizeMb).toBe(48);
  }, 30_000);
});
