import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { storageProblem } from './storage-probe';

describe('storageProblem', () => {
  const scratch = () => mkdtempSync(path.join(tmpdir(), 'probe-'));

  it('is null for a folder that takes writes (made if missing), and leaves nothing behind', async () => {
    const dir = path.join(scratch(), 'logs');
    expect(await storageProblem(dir)).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names a folder that cannot be written: a file in its place', async () => {
    const root = scratch();
    writeFileSync(path.join(root, 'logs'), 'not a folder');
    expect(await storageProblem(path.join(root, 'logs'))).toMatch(/logs cannot be written \((EEXIST|ENOTDIR)\)$/);
  });

  it('calls a folder with less free space than asked for full', async () => {
    expect(await storageProblem(scratch(), Number.MAX_SAFE_INTEGER)).toMatch(/is full \(\d+ KiB free\)$/);
  });
});
