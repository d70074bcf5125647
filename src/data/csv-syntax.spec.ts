import { csvLineProblem } from './csv-syntax';

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
