import { Client } from 'pg';
import { REGISTRY_CHANNEL } from './advisory-keys';

/** Waits between reconnection attempts of the listening connection. */
const RECONNECT_MS = 1000;

/**
 * LISTENs on the registry's channel with a connection of its own (a pooled one would be handed to
 * others): every NOTIFY of a promotion or rollback calls `onChange`, so the replica serves the new
 * model at once. A lost connection is reopened every second, LISTEN sent again, and `onChange`
 * called once (a notification may have been missed meanwhile; ActiveModel's periodic re-check is
 * the other safety net).
 */
export class RegistryListener {
  private client: Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  /** Told once per outage, not at every attempt. */
  private failing = false;

  constructor(
    private readonly url: string,
    private readonly onChange: () => void,
    private readonly warn: (message: string) => void,
  ) {}

  /** Resolves once listening (or once the first attempt failed: it keeps retrying in the background). */
  async start(): Promise<void> {
    await this.connect(false);
  }

  get listening(): boolean {
    return this.client !== null;
  }

  private async connect(reconnected: boolean): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (message) => message.channel === REGISTRY_CHANNEL && this.onChange());
    try {
      await client.connect();
      await client.query(`LISTEN ${REGISTRY_CHANNEL}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failing = false;
    if (reconnected) {
      this.warn('registry notifications: listening again');
      this.onChange();
    }
  }

  private lost(client: Client, err: Error): void {
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.client === client) this.client = null;
    if (this.stopped || this.retry) return;
    if (!this.failing) this.warn(`registry notifications: connection lost (${err.message}); retrying every ${RECONNECT_MS / 1000} s`);
    this.failing = true;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect(true);
    }, RECONNECT_MS);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
