/**
 * Request ids of predictions being written right now: claimed before the write and released after
 * it, so two concurrent requests with one id cannot both be confirmed, and a failed write leaves
 * its id free to be sent again.
 */
export class InFlightIds {
  private readonly singles = new Set<string>();
  /** Batch id -> its row count (rows are `<batchId>-<i>`). */
  private readonly batches = new Map<string, number>();

  /** The first of the ids that is being written now, or null. */
  clash(ids: { single: string } | { batchId: string; count: number }): string | null {
    if ('single' in ids) {
      const id = ids.single;
      if (this.singles.has(id)) return id;
      const dash = id.lastIndexOf('-');
      const rows = dash > 0 ? this.batches.get(id.slice(0, dash)) : undefined;
      return rows !== undefined && isRowBelow(id.slice(dash + 1), rows) ? id : null;
    }
    if (this.batches.has(ids.batchId)) return `${ids.batchId}-0`;
    for (const single of this.singles) {
      if (!single.startsWith(`${ids.batchId}-`)) continue;
      if (isRowBelow(single.slice(ids.batchId.length + 1), ids.count)) return single;
    }
    return null;
  }

  claimSingle(id: string): void {
    this.singles.add(id);
  }

  releaseSingle(id: string): void {
    this.singles.delete(id);
  }

  claimBatch(batchId: string, count: number): void {
    this.batches.set(batchId, count);
  }

  releaseBatch(batchId: string): void {
    this.batches.delete(batchId);
  }
}

/** Whether `text` is a row index as batch ids are written (decimal, no leading zero) below `rows`. */
function isRowBelow(text: string, rows: number): boolean {
  return /^(0|[1-9]\d{0,8})$/.test(text) && Number(text) < rows;
}
