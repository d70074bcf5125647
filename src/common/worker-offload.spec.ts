import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OffloadWorker } from './worker-offload';

/** A worker script in plain JavaScript, written to a scratch folder. */
function script(source: string): { file: string; execArgv: string[] } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'offload-')), 'test.worker.js');
  writeFileSync(file, `const { parentPort } = require('node:worker_threads');\n${source}\n`);
  return { file, execArgv: [] };
}

const ECHO_UPPER = `parentPort.on('message', ({ id, payload }) => {
  const bytes = Buffer.from(String(payload).toUpperCase());
  parentPort.postMessage({ id, ok: true, bytes: new Uint8Array(bytes) });
});`;

function offload(source: string, options: Partial<{ minRows: number; maxPending: number; timeoutMs: number }> = {}) {
  const warnings: string[] = [];
  const worker = new OffloadWorker<string>(
    { minRows: 2, maxPending: 4, timeoutMs: 5000, script: () => script(source), what: 'the test worker', instead: 'done here', ...options },
    (m) => warnings.push(m),
  );
  const job = (text: string, rows = 10) => ({
    rows,
    pack: () => ({ payload: text, transfer: [] }),
    here: () => Buffer.from(`here:${text}`),
  });
  return { worker, warnings, job };
}

describe('OffloadWorker', () => {
  it('has the worker make the bytes of a large job, and makes a small one here', async () => {
    const { worker, job } = offload(ECHO_UPPER);
    const large = worker.run(job('abc'));
    expect(large).toBeInstanceOf(Promise);
    expect((await large).toString()).toBe('ABC');
    const small = worker.run(job('abc', 1));
    expect(Buffer.isBuffer(small) && small.toString()).toBe('here:abc');
    await worker.close();
  }, 30_000);

  it('makes a job here when pack() declines it', async () => {
    const { worker } = offload(ECHO_UPPER);
    const bytes = worker.run({ rows: 10, pack: () => null, here: () => Buffer.from('here') });
    expect(Buffer.isBuffer(bytes) && bytes.toString()).toBe('here');
    await worker.close();
  });

  it('makes jobs here once maxPending wait for the worker', async () => {
    const { worker, job } = offload(ECHO_UPPER, { maxPending: 1 });
    const first = worker.run(job('a'));
    const second = worker.run(job('b'));
    expect(Buffer.isBuffer(second) && second.toString()).toBe('here:b');
    expect((await first).toString()).toBe('A');
    await worker.close();
  }, 30_000);

  it('makes here a job the worker answers with an error, and keeps the worker', async () => {
    const { worker, warnings, job } = offload(`parentPort.on('message', ({ id, payload }) => {
      if (payload === 'bad') parentPort.postMessage({ id, ok: false, error: 'no' });
      else parentPort.postMessage({ id, ok: true, bytes: new Uint8Array(Buffer.from('ok')) });
    });`);
    expect((await worker.run(job('bad'))).toString()).toBe('here:bad');
    expect((await worker.run(job('good'))).toString()).toBe('ok');
    expect(warnings).toEqual([]);
    await worker.close();
  }, 30_000);

  it('takes a silent worker for stuck: says so once, stops it, and makes the waiting jobs and later ones here', async () => {
    const { worker, warnings, job } = offload(`parentPort.on('message', () => undefined);`, { timeoutMs: 300 });
    const waiting = [worker.run(job('a')), worker.run(job('b'))];
    expect((await Promise.all(waiting)).map(String)).toEqual(['here:a', 'here:b']);
    expect(warnings).toEqual(['the test worker thread did not answer within 300 ms; done here']);
    const later = worker.run(job('c'));
    expect(Buffer.isBuffer(later) && later.toString()).toBe('here:c');
    await worker.close();
  }, 30_000);

  it('makes here the jobs still waiting when it is closed, and every job after', async () => {
    const { worker, job } = offload(`parentPort.on('message', () => undefined);`);
    const waiting = worker.run(job('a'));
    await worker.close();
    expect((await waiting).toString()).toBe('here:a');
    const after = worker.run(job('b'));
    expect(Buffer.isBuffer(after) && after.toString()).toBe('here:b');
  }, 30_000);

  it('says once that a missing script cannot start, and makes jobs here', async () => {
    const warnings: string[] = [];
    const worker = new OffloadWorker<string>(
      {
        minRows: 1,
        maxPending: 4,
        timeoutMs: 5000,
        script: () => {
          throw new Error('the worker x is missing (dist/x.js): rebuild with `npm run build`');
        },
        what: 'the test worker',
        instead: 'done here',
      },
      (m) => warnings.push(m),
    );
    const bytes = worker.run({ rows: 5, pack: () => ({ payload: 'a', transfer: [] }), here: () => Buffer.from('here') });
    expect(Buffer.isBuffer(bytes) && bytes.toString()).toBe('here');
    expect(warnings).toEqual([
      'the test worker thread cannot start: the worker x is missing (dist/x.js): rebuild with `npm run build`; done here',
    ]);
    await worker.close();
  });
});
