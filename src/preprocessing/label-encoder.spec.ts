import { LabelEncoder } from './label-encoder';

describe('LabelEncoder', () => {
  describe('fit', () => {
    it('learns the sorted distinct values as classes, like sklearn', () => {
      const encoder = LabelEncoder.fit(['married', 'single', 'divorced', 'married', 'unknown', 'single']);
      expect(encoder.classes).toEqual(['divorced', 'married', 'single', 'unknown']);
    });

    it('sorts by code unit, as Python sorted() does (upper case, digits and "." before lower case)', () => {
      const encoder = LabelEncoder.fit(['basic.9y', 'basic.4y', 'Zulu', 'admin.', 'alpha', '10', '9', 'basic.6y']);
      expect(encoder.classes).toEqual(['10', '9', 'Zulu', 'admin.', 'alpha', 'basic.4y', 'basic.6y', 'basic.9y']);
    });

    it('accepts any iterable, including a Set and a generator', () => {
      function* values() {
        yield 'b';
        yield 'a';
        yield 'b';
      }
      expect(LabelEncoder.fit(new Set(['y', 'x'])).classes).toEqual(['x', 'y']);
      expect(LabelEncoder.fit(values()).classes).toEqual(['a', 'b']);
    });

    it('gives an encoder with no classes for no values', () => {
      const encoder = LabelEncoder.fit([]);
      expect(encoder.classes).toEqual([]);
      expect(encoder.encode('anything')).toBe(-1);
    });
  });

  describe('encode', () => {
    const encoder = LabelEncoder.fit(['mon', 'tue', 'wed', 'thu', 'fri']);

    it('codes a value as its index among the sorted classes', () => {
      expect(encoder.classes).toEqual(['fri', 'mon', 'thu', 'tue', 'wed']);
      expect(['fri', 'mon', 'thu', 'tue', 'wed'].map((v) => encoder.encode(v))).toEqual([0, 1, 2, 3, 4]);
      expect(encoder.encode('wed')).toBe(4);
    });

    it('returns -1 for a value it never saw (case and whitespace matter)', () => {
      expect(encoder.encode('sat')).toBe(-1);
      expect(encoder.encode('Mon')).toBe(-1);
      expect(encoder.encode(' mon')).toBe(-1);
      expect(encoder.encode('')).toBe(-1);
    });

    it('does not treat Object prototype names as classes', () => {
      expect(encoder.encode('constructor')).toBe(-1);
      expect(encoder.has('toString')).toBe(false);
    });
  });

  describe('has', () => {
    it('is true exactly for the known classes', () => {
      const encoder = new LabelEncoder(['no', 'unknown', 'yes']);
      expect(encoder.has('no')).toBe(true);
      expect(encoder.has('yes')).toBe(true);
      expect(encoder.has('maybe')).toBe(false);
    });
  });

  describe('constructor', () => {
    it('keeps the classes in the order given (codes follow that order)', () => {
      const encoder = new LabelEncoder(['z', 'a']);
      expect(encoder.encode('z')).toBe(0);
      expect(encoder.encode('a')).toBe(1);
    });

    it('rejects duplicated classes', () => {
      expect(() => new LabelEncoder(['a', 'b', 'a'])).toThrow('label encoder classes must be distinct');
    });
  });
});
