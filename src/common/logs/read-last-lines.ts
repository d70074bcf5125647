import { promises as fsp } from 'node:fs';

const CHUNK = 1 << 16;

/**
 * The last `n` complete lines of a file, oldest first, reading backwards in chunks so start-up
 * cost depends on `n`, not on the file's size. A missing file has no lines. A last line without
 * its newline (a write cut short by a crash) is dropped: it is not a complete record.
 */
export async function readLastLines(file: string, n: number): Promise<string[]> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const lines: string[] = [];
    let position = size;
    let carry = Buffer.alloc(0);
    let first = true;
    while (position > 0 && lines.length < n) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      let buffer = Buffer.concat([chunk, carry]);
      if (first) {
        const lastNewline = buffer.lastIndexOf(0x0a);
        buffer = lastNewline === -1 ? Buffer.alloc(0) : buffer.subarray(0, lastNewline + 1);
        if (lastNewline === -1 && position > 0) {
          carry = Buffer.alloc(0);
          continue;
        }
        first = false;
      }
      let end = buffer.length;
      // Walk back over complete lines; what precedes the first newline may continue in the previous chunk.
      for (let i = buffer.length - 2; i >= -1 && lines.length < n; i--) {
        if (i === -1 || buffer[i] === 0x0a) {
          if (i === -1 && position > 0) break;
          const line = buffer.subarray(i + 1, end - 1).toString('utf8');
          if (line.length > 0) lines.push(line);
          end = i + 1;
        }
      }
      carry = Buffer.from(buffer.subarray(0, end));
    }
    return lines.reverse();
  } finally {
    await handle.close();
  }
}

/** The last `n` lines across a log and its rotated files (given newest first), oldest first. */
export async function readLastLinesAcross(filesNewestFirst: readonly string[], n: number): Promise<string[]> {
  const parts: string[][] = [];
  let count = 0;
  for (const file of filesNewestFirst) {
    if (count >= n) break;
    const lines = await readLastLines(file, n - count);
    parts.push(lines);
    count += lines.length;
  }
  return parts.reverse().flat();
}
