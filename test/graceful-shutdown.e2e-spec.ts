import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import * as path from 'node:path';
import { EXAMPLE_CLIENT, makeTempDir } from './support/test-app';
import { ServerProcess, startServer } from './support/server-process';

const BODY = JSON.stringify(EXAMPLE_CLIENT);

/** One POST /predict over a keep-alive agent; resolves with the status and the request id. */
function predict(server: ServerProcess, agent: Agent): Promise<{ status: number; id: string | null }> {
  return new Promise((resolve) => {
    const req = request(
      `${server.baseUrl}/predict`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          const id = res.statusCode === 200 ? (JSON.parse(text).request_id as string) : null;
          resolve({ status: res.statusCode ?? 0, id });
        });
        res.on('error', () => resolve({ status: 0, id: null }));
      },
    );
    req.on('error', () => resolve({ status: 0, id: null })); // refused once the server stopped listening
    req.end(BODY);
  });
}

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'under load, %s drains in-flight requests, logs every 200, and exits 0 within 10 s',
    async (signal) => {
      const storage = makeTempDir();
      const server = await startServer({ STORAGE_DIR: storage });
      const agent = new Agent({ keepAlive: true, maxSockets: 16 });
      const ok: string[] = [];
      let sent = 0;
      let stop = false;
      const worker = async () => {
        while (!stop && sent < 200_000) {
          sent++;
          const { status, id } = await predict(server, agent);
          if (status === 200 && id) ok.push(id);
          if (status === 0) return; // connection refused: the server is gone
        }
      };
      const workers = Array.from({ length: 16 }, worker);
      await new Promise((r) => setTimeout(r, 800));
      const signalledAt = Date.now();
      server.child.kill(signal);
      const { code } = await server.exited;
      const tookMs = Date.now() - signalledAt;
      stop = true;
      await Promise.all(workers);
      agent.destroy();

      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(10_000);
      expect(ok.length).toBeGreaterThan(100);
      const text = readFileSync(path.join(storage, 'logs', 'inference.log'), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.split('\n').filter((l) => l.length > 0);
      const logged = new Set(lines.map((line) => JSON.parse(line).request_id)); // throws on a half line
      const missing = ok.filter((id) => !logged.has(id));
      expect(missing).toEqual([]);
      expect(server.output()).toContain(`${signal} received`);
    },
    40_000,
  );
});
