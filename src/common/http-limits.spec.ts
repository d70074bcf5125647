import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import { limitConnections } from './http-limits';

/** A slow client: headers that promise a body it never sends. */
function slowClient(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
      resolve(socket);
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ port, host: '127.0.0.1', path: '/', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('limitConnections', () => {
  let server: http.Server;
  let port: number;
  const clients: net.Socket[] = [];
  const warnings: string[] = [];

  beforeEach(async () => {
    server = http.createServer((req, res) => {
      if (req.method === 'GET') res.end('ok');
      // a POST is only answered once its body arrived, which a slow client never sends
      else req.on('end', () => res.end('ok')).resume();
    });
    limitConnections(server, { maxConnections: 5, headersTimeoutMs: 10_000, requestTimeoutMs: 20_000 }, (m) => warnings.push(m));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('a flood of slow clients younger than a second does not lock out a client that sends its request at once', async () => {
    for (let i = 0; i < 5; i++) clients.push(await slowClient(port));
    await settle();
    // Every slot is held by a slow client opened within the last second: the oldest of them goes.
    expect(await get(port)).toBe(200);
    expect(clients[0].destroyed || clients[0].readableEnded).toBe(true);
    expect(warnings.some((w) => w.includes('closing idle or slow connections'))).toBe(true);
  });

  it('keeps churning: many more slow clients than slots, and requests still answered', async () => {
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) clients.push(await slowClient(port));
      await settle();
      expect(await get(port)).toBe(200);
    }
  });
});
