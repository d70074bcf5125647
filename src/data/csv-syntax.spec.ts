import { csvLineProblem, guessHeaderSeparator } from './csv-syntax';

describe('csvLineProblem', () => {
  it.each([
    ['30;"blue-collar";"married";999'],
    ['"a""b";c'],
    ['"";;x'],
    [''],
    ['"quoted at end"'],
  ])('accepts %j', (line) => {
    expect(csvLineProblem(line)).toBeNull();
  });

  it.each([
    ['30;"blue-collar;married', 'a quoted field is never closed'],
    ['"technician"x;1', "expected ';' after a quoted field, found 'x'"],
    ['"age","job"', "expected ';' after a quoted field, found ','"],
    ['ab"c;d', 'a quote inside an unquoted field'],
  ])('rejects %j: %s', (line, problem) => {
    expect(csvLineProblem(line)).toBe(problem);
  });
});

describe('guessHeaderSeparator', () => {
  const names = ['age', 'job', 'y'];

  it('is null when the header splits by the expected separator into the named columns', () => {
    expect(guessHeaderSeparator('"age";"job";"y"', ';', names)).toBeNull();
    expect(guessHeaderSeparator('\uFEFFage,job,y', ',', names)).toBeNull();
  });

  it('names the common separator under which more of the columns appear', () => {
    expect(guessHeaderSeparator('"age","job","y"', ';', names)).toBe(',');
    expect(guessHeaderSeparator('age\tjob\ty', ',', names)).toBe('\t');
    expect(guessHeaderSeparator('age|job|y', ';', names)).toBe('|');
  });

  it("falls back to how the header splits when it holds none of the columns, only if the expected one can't split it", () => {
    expect(guessHeaderSeparator('id;amount;paid', ',', names)).toBe(';');
    expect(guessHeaderSeparator('id,amount,paid', ',', names)).toBeNull();
    expect(guessHeaderSeparator('single', ',', names)).toBeNull();
  });
});
