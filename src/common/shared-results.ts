/**
 * Results of an expensive computation shared by everyone who asks for the same key: callers that
 * arrive while it runs wait for that run, and a finished result is handed out again until it is
 * `maxAgeMs` old. Fifty concurrent requests for one large report cost one computation.
 */
export class SharedResults<T> {
  private readonly entries = new Map<string, { finishedAt: number | null; value: Promise<T> }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 32,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && (hit.finishedAt === null || this.now() - hit.finishedAt < this.maxAgeMs)) return hit.value;
    const entry: { finishedAt: number | null; value: Promise<T> } = { finishedAt: null, value: compute() };
    entry.value.then(
      () => (entry.finishedAt = this.now()),
      () => this.entries.get(key) === entry && this.entries.delete(key), // a failure is not kept
    );
    this.entries.delete(key);
    this.entries.set(key, entry);
    // The oldest keys go first (a Map keeps insertion order).
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry.value;
  }
}
