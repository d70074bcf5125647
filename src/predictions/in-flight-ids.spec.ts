import { InFlightIds } from './in-flight-ids';

describe('InFlightIds', () => {
  it('a single id clashes with itself and with the row of a batch being written', () => {
    const ids = new InFlightIds();
    ids.claimSingle('a');
    ids.claimBatch('b', 3);
    expect(ids.clash({ single: 'a' })).toBe('a');
    expect(ids.clash({ single: 'b-2' })).toBe('b-2');
    for (const free of ['b-3', 'b-02', 'b', 'b-', 'c-0', 'a-0']) expect(ids.clash({ single: free })).toBeNull();
    ids.releaseSingle('a');
    ids.releaseBatch('b');
    expect(ids.clash({ single: 'a' })).toBeNull();
    expect(ids.clash({ single: 'b-2' })).toBeNull();
  });

  it('a batch clashes with a batch of its id and with single ids among its rows', () => {
    const ids = new InFlightIds();
    ids.claimBatch('b', 2);
    ids.claimSingle('c-4');
    expect(ids.clash({ batchId: 'b', count: 1 })).toBe('b-0');
    expect(ids.clash({ batchId: 'c', count: 4 })).toBeNull();
    expect(ids.clash({ batchId: 'c', count: 5 })).toBe('c-4');
    expect(ids.clash({ batchId: 'c-4', count: 5 })).toBeNull();
  });
});
