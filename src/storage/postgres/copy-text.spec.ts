import { EXAMPLE_CLIENT } from '../../data/testing/bank-schema';
import { copyText, predictionCopyLine } from './copy-text';

describe('COPY text format', () => {
  it('escapes what COPY would read as a separator or an escape, and nothing else', () => {
    expect(copyText('plain id-1')).toBe('plain id-1');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText('{"job":"a \\"quoted\\" word"}')).toBe('{"job":"a \\\\"quoted\\\\" word"}');
  });

  it('writes a prediction as one line of eight fields', () => {
    const line = predictionCopyLine(
      {
        request_id: 'r\t1',
        timestamp: '2024-05-01T10:00:00.000Z',
        model_version: 'v2',
        input: { ...EXAMPLE_CLIENT },
        prediction: 1,
        probability: 0.1 + 0.2,
        latency_ms: 1.5,
      },
      'host/1',
    );
    expect(line.endsWith('\n')).toBe(true);
    const fields = line.slice(0, -1).split('\t');
    expect(fields).toHaveLength(8);
    expect(fields[0]).toBe('r\\t1');
    expect(JSON.parse(fields[3])).toEqual(EXAMPLE_CLIENT);
    expect(Number(fields[5])).toBe(0.1 + 0.2);
    expect(fields.slice(4)).toEqual(['1', '0.30000000000000004', '1.5', 'host/1']);
  });
});
