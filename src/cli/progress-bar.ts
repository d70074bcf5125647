/** A one-line progress bar on stderr when it is a terminal; silent otherwise (CI logs, pipes). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): (done: number, total: number) => void {
  const started = Date.now();
  return (done, total) => {
    if (!stream.isTTY) return;
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${seconds}s`);
    if (done >= total) stream.write('\n');
  };
}
