/**
 * Like scikit-learn's LabelEncoder: classes are the sorted distinct values, a value's code is its
 * index among them. Sorting is by UTF-16 code unit, which matches Python's sorted() for these data.
 */
export class LabelEncoder {
  private readonly codes: Map<string, number>;

  constructor(readonly classes: readonly string[]) {
    this.codes = new Map(classes.map((c, i) => [c, i]));
    if (this.codes.size !== classes.length) throw new Error('label encoder classes must be distinct');
  }

  static fit(values: Iterable<string>): LabelEncoder {
    return new LabelEncoder([...new Set(values)].sort());
  }

  /** The code of a value, or -1 when the encoder never saw it. */
  encode(value: string): number {
    return this.codes.get(value) ?? -1;
  }

  has(value: string): boolean {
    return this.codes.has(value);
  }
}
