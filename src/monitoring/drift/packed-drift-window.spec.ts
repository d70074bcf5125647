import { FeatureRecord } from '../../data/dataset-schema';
import { HistoryItem } from '../../predictions/prediction-history';
import { ReferenceStatistics } from '../../training/reference-statistics';
import { packHistoryWindow, unpackDriftWindow } from './packed-drift-window';

const item = (i: number): HistoryItem => ({
  entry: {
    request_id: `r${i}`,
    timestamp: '2024-01-01T00:00:00.000Z',
    model_version: 'v1',
    input: { age: 20 + (i % 50), job: ['admin.', 'student', 'retired'][i % 3] } as unknown as FeatureRecord,
    prediction: (i % 2) as 0 | 1,
    probability: (i % 100) / 100,
    latency_ms: 0,
  },
  actual: null,
  sequence: i,
  anonymous: false,
});

describe('packHistoryWindow', () => {
  it('lays out the features the reference names, in slices of rows, as the drift maths reads them', async () => {
    const items = Array.from({ length: 4500 }, (_, i) => item(i));
    const reference = { numeric: { age: {} }, categorical: { job: {} } } as unknown as ReferenceStatistics;
    const window = unpackDriftWindow(await packHistoryWindow(items, reference, 1000));
    expect(Object.keys(window.numeric)).toEqual(['age']);
    expect(Array.from(window.numeric.age)).toEqual(items.map((x) => (x.entry.input as unknown as { age: number }).age));
    expect(window.categorical.job).toEqual(items.map((x) => (x.entry.input as unknown as { job: string }).job));
    expect(Array.from(window.probabilities)).toEqual(items.map((x) => x.entry.probability));
    expect(Array.from(window.decisions)).toEqual(items.map((x) => x.entry.prediction));
  });
});
