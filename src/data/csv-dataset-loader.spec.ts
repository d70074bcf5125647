import { BANK_SCHEMA, EXAMPLE_CLIENT } from './testing/bank-schema';
import { createHash } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCsvDataset } from './csv-dataset-loader';
import { DatasetError } from './dataset';



const BANK_CSV = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');

/** Header and rows 1, 2 and 20 (a "yes") of data/bank-additional.csv. */
const HEADER =
  '"age";"job";"marital";"education";"default";"housing";"loan";"contact";"month";"day_of_week";"duration";' +
  '"campaign";"pdays";"previous";"poutcome";"emp.var.rate";"cons.price.idx";"cons.conf.idx";"euribor3m";"nr.employed";"y"';
const ROW_NO_1 =
  '30;"blue-collar";"married";"basic.9y";"no";"yes";"no";"cellular";"may";"fri";487;2;999;0;"nonexistent";-1.8;92.893;-46.2;1.313;5099.1;"no"';
const ROW_NO_2 =
  '39;"services";"single";"high.school";"no";"no";"no";"telephone";"may";"fri";346;4;999;0;"nonexistent";1.1;93.994;-36.4;4.855;5191;"no"';
const ROW_YES =
  '39;"technician";"divorced";"high.school";"no";"no";"no";"cellular";"mar";"mon";222;1;12;2;"success";-1.8;93.369;-34.8;0.639;5008.7;"yes"';

const EXPECTED_FIRST_RECORD = EXAMPLE_CLIENT;

const lines = (...ls: string[]) => ls.map((l) => `${l}\n`).join('');
/** Replace field `index` (0-based, in the 21-column layout) of a ';'-separated line. */
const withField = (line: string, index: number, value: string) =>
  line
    .split(';')
    .map((f, i) => (i === index ? value : f))
    .join(';');
const withoutField = (line: string, index: number) =>
  line
    .split(';')
    .filter((_, i) => i !== index)
    .join(';');

let dir: string;
let counter = 0;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'csv-loader-spec-'));
});

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function writeCsv(content: string | Buffer): Promise<string> {
  const file = path.join(dir, `data-${++counter}.csv`);
  await fsp.writeFile(file, content);
  return file;
}

/** The DatasetError loading `file` rejects with (fails the test when it loads). */
async function loadError(file: string): Promise<DatasetError> {
  try {
    await loadCsvDataset(file, BANK_SCHEMA);
  } catch (err) {
    expect(err).toBeInstanceOf(DatasetError);
    return err as DatasetError;
  }
  throw new Error(`${file} loaded without error`);
}

describe('loadCsvDataset', () => {
  describe('a well-formed file', () => {
    it('loads every data row, in file order, with 0/1 labels', async () => {
      const file = await writeCsv(lines(HEADER, ROW_NO_1, ROW_NO_2, ROW_YES));
      const dataset = await loadCsvDataset(file, BANK_SCHEMA);
      expect(dataset.file).toBe(file);
      expect(dataset.records).toHaveLength(3);
      expect(dataset.labels).toBeInstanceOf(Uint8Array);
      expect(Array.from(dataset.labels)).toEqual([0, 0, 1]);
    });

    it("drops 'duration', renames '.' to '_', parses numbers and keeps features in model order", async () => {
      const dataset = await loadCsvDataset(await writeCsv(lines(HEADER, ROW_NO_1, ROW_YES)), BANK_SCHEMA);
      const first = dataset.records[0];
      expect(first).toEqual(EXPECTED_FIRST_RECORD);
      expect(Object.keys(first)).toEqual([...BANK_SCHEMA.featureNames]);
      expect(first).not.toHaveProperty('duration');
      expect(first).not.toHaveProperty('emp.var.rate');
      expect(first).not.toHaveProperty('y');
      expect(dataset.records[1]).toMatchObject({ pdays: 12, previous: 2, poutcome: 'success', nr_employed: 5008.7 });
    });

    it("records the sha256 of the file's bytes", async () => {
      const content = lines(HEADER, ROW_NO_1, ROW_YES);
      const file = await writeCsv(content);
      const dataset = await loadCsvDataset(file, BANK_SCHEMA);
      expect(dataset.sha256).toBe(createHash('sha256').update(content).digest('hex'));
      expect(dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it('accepts CRLF line endings', async () => {
      const lf = await loadCsvDataset(await writeCsv(lines(HEADER, ROW_NO_1, ROW_NO_2, ROW_YES)), BANK_SCHEMA);
      const content = [HEADER, ROW_NO_1, ROW_NO_2, ROW_YES].map((l) => `${l}\r\n`).join('');
      const crlf = await loadCsvDataset(await writeCsv(content), BANK_SCHEMA);
      expect(crlf.records).toEqual(lf.records);
      expect(crlf.labels).toEqual(lf.labels);
      expect(crlf.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    });

    it('accepts a file without a final newline', async () => {
      const dataset = await loadCsvDataset(await writeCsv(`${HEADER}\n${ROW_NO_1}\n${ROW_YES}`), BANK_SCHEMA);
      expect(Array.from(dataset.labels)).toEqual([0, 1]);
    });

    it('accepts a UTF-8 byte order mark', async () => {
      const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines(HEADER, ROW_NO_1, ROW_YES))]);
      const file = await writeCsv(content);
      const dataset = await loadCsvDataset(file, BANK_SCHEMA);
      expect(dataset.records[0]).toEqual(EXPECTED_FIRST_RECORD);
      expect(dataset.records).toHaveLength(2);
      expect(dataset.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    });

    it('accepts a UTF-8 byte order mark before an unquoted header', async () => {
      const unquoted = HEADER.replace(/"/g, '');
      const dataset = await loadCsvDataset(await writeCsv(`\uFEFF${lines(unquoted, ROW_NO_1, ROW_YES)}`), BANK_SCHEMA);
      expect(dataset.records[0]).toEqual(EXPECTED_FIRST_RECORD);
    });

    it('accepts unquoted values and surrounding spaces in unquoted fields', async () => {
      const unquoted = ROW_NO_1.replace(/"/g, '');
      const dataset = await loadCsvDataset(await writeCsv(lines(HEADER, unquoted, ROW_YES)), BANK_SCHEMA);
      expect(dataset.records[0]).toEqual(EXPECTED_FIRST_RECORD);
    });

    it('tolerates blank lines between rows and at the end', async () => {
      const dataset = await loadCsvDataset(await writeCsv(lines(HEADER, ROW_NO_1, '', ROW_NO_2, '', '', ROW_YES, '', '')), BANK_SCHEMA);
      expect(dataset.records).toHaveLength(3);
      expect(Array.from(dataset.labels)).toEqual([0, 0, 1]);
    });

    it('tolerates blank CRLF lines', async () => {
      const content = [HEADER, ROW_NO_1, '', ROW_YES, ''].map((l) => `${l}\r\n`).join('');
      const dataset = await loadCsvDataset(await writeCsv(content), BANK_SCHEMA);
      expect(dataset.records).toHaveLength(2);
    });

    it('tolerates blank lines before the header', async () => {
      const dataset = await loadCsvDataset(await writeCsv(lines('', HEADER, ROW_NO_1, ROW_YES)), BANK_SCHEMA);
      expect(dataset.records).toHaveLength(2);
    });

    it('accepts the columns in another order', async () => {
      const reorder = (line: string) => {
        const f = line.split(';');
        return [f[20], ...f.slice(0, 20)].join(';');
      };
      const dataset = await loadCsvDataset(await writeCsv(lines(reorder(HEADER), reorder(ROW_NO_1), reorder(ROW_YES))), BANK_SCHEMA);
      expect(dataset.records[0]).toEqual(EXPECTED_FIRST_RECORD);
      expect(Object.keys(dataset.records[0])).toEqual([...BANK_SCHEMA.featureNames]);
      expect(Array.from(dataset.labels)).toEqual([0, 1]);
    });

    it('accepts a file without the duration column', async () => {
      const dataset = await loadCsvDataset(
        await writeCsv(lines(withoutField(HEADER, 10), withoutField(ROW_NO_1, 10), withoutField(ROW_YES, 10))),
        BANK_SCHEMA,
      );
      expect(dataset.records[0]).toEqual(EXPECTED_FIRST_RECORD);
    });
  });

  describe('data/bank-additional.csv', () => {
    it('loads 4119 rows of which 451 are "yes"', async () => {
      const dataset = await loadCsvDataset(BANK_CSV, BANK_SCHEMA);
      expect(dataset.records).toHaveLength(4119);
      expect(dataset.labels).toHaveLength(4119);
      expect(dataset.labels.reduce((a, b) => a + b, 0)).toBe(451);
      expect(dataset.records[0]).toEqual(EXPECTED_FIRST_RECORD);
      expect(dataset.sha256).toBe(createHash('sha256').update(readFileSync(BANK_CSV)).digest('hex'));
    });
  });

  describe('errors name the file and, where there is one, the line', () => {
    it('a missing file', async () => {
      const file = path.join(dir, 'does-not-exist.csv');
      const error = await loadError(file);
      expect(error.file).toBe(file);
      expect(error.line).toBeNull();
      expect(error.message).toBe(`${file}: file not found`);
    });

    it('a folder instead of a file', async () => {
      const error = await loadError(dir);
      expect(error.message).toBe(`${dir}: not a regular file`);
    });

    it('an empty file', async () => {
      const file = await writeCsv('');
      const error = await loadError(file);
      expect(error.line).toBeNull();
      expect(error.message).toBe(`${file}: file is empty`);
    });

    it('a file of blank lines only', async () => {
      const file = await writeCsv('\n\n\n');
      const error = await loadError(file);
      expect(error.message).toBe(`${file}: file has no header row`);
    });

    it('a header and no data rows', async () => {
      const file = await writeCsv(lines(HEADER));
      const error = await loadError(file);
      expect(error.message).toBe(`${file}: file has a header but no data rows`);
    });

    it('a missing column (line 1)', async () => {
      const file = await writeCsv(lines(withoutField(HEADER, 6), withoutField(ROW_NO_1, 6)));
      const error = await loadError(file);
      expect(error.line).toBe(1);
      expect(error.message).toBe(
        `${file}, line 1: missing column(s) loan (is the file ';'-separated with a header row?)`,
      );
    });

    it('several missing columns, named in schema order', async () => {
      const header = withoutField(withoutField(HEADER, 20), 0);
      const error = await loadError(await writeCsv(lines(header, withoutField(withoutField(ROW_NO_1, 20), 0))));
      expect(error.problem).toMatch(/^missing column\(s\) age, y /);
    });

    it('a file written with another separator: the header says which (quoted or not)', async () => {
      const comma = (line: string) => line.replace(/;/g, ',');
      for (const header of [comma(HEADER), comma(HEADER).replace(/"/g, ''), HEADER.replace(/;/g, '\t')]) {
        const file = await writeCsv(lines(header, comma(ROW_NO_1)));
        const error = await loadError(file);
        expect(error.line).toBe(1);
        const found = header.includes('\t') ? 'tab' : "','";
        expect(error.problem).toBe(`the header is ${found}-separated, but schema bank-marketing says ';' (its "separator")`);
      }
    });

    it("another dataset's file with another separator: its header is named by how it splits", async () => {
      const error = await loadError(await writeCsv(lines('"id","amount","paid"', '1,2.5,"Y"')));
      expect(error.problem).toBe(`the header is ','-separated, but schema bank-marketing says ';' (its "separator")`);
    });

    it('an unexpected column (line 1)', async () => {
      const file = await writeCsv(lines(`${HEADER};"extra"`, `${ROW_NO_1};1`));
      const error = await loadError(file);
      expect(error.line).toBe(1);
      expect(error.message).toMatch(/, line 1: unexpected column\(s\) extra \(not in schema bank-marketing/);
    });

    it('a duplicated column (line 1)', async () => {
      const file = await writeCsv(lines(`${HEADER};"age"`, `${ROW_NO_1};30`));
      const error = await loadError(file);
      expect(error.line).toBe(1);
      expect(error.message).toBe(`${file}, line 1: column 'age' appears twice in the header`);
    });

    it("a renamed column's new name in the header ('emp_var_rate' beside 'emp.var.rate') is not the schema's", async () => {
      const error = await loadError(await writeCsv(lines(`${HEADER};"emp_var_rate"`, `${ROW_NO_1};1`)));
      expect(error.line).toBe(1);
      expect(error.problem).toMatch(/^unexpected column\(s\) emp_var_rate /);
    });

    it('a non-numeric value in a numeric column, on the right line', async () => {
      const file = await writeCsv(lines(HEADER, ROW_NO_1, ROW_NO_2, withField(ROW_YES, 12, 'n/a'), ROW_NO_1));
      const error = await loadError(file);
      expect(error.line).toBe(4);
      expect(error.message).toBe(`${file}, line 4: column 'pdays' must be a number, found 'n/a'`);
    });

    it('an empty numeric value', async () => {
      const error = await loadError(await writeCsv(lines(HEADER, withField(ROW_NO_1, 0, ''))));
      expect(error.line).toBe(2);
      expect(error.problem).toBe("column 'age' must be a number, found ''");
    });

    it('a quoted non-number in a numeric column', async () => {
      const error = await loadError(await writeCsv(lines(HEADER, ROW_NO_1, withField(ROW_NO_2, 18, '"high"'))));
      expect(error.line).toBe(3);
      expect(error.problem).toBe("column 'euribor3m' must be a number, found 'high'");
    });

    it('an empty categorical value', async () => {
      const error = await loadError(await writeCsv(lines(HEADER, withField(ROW_NO_1, 1, '""'))));
      expect(error.line).toBe(2);
      expect(error.problem).toBe("column 'job' is empty");
    });

    it('a target other than yes / no', async () => {
      const file = await writeCsv(lines(HEADER, ROW_NO_1, withField(ROW_YES, 20, '"maybe"')));
      const error = await loadError(file);
      expect(error.line).toBe(3);
      expect(error.message).toBe(`${file}, line 3: target 'y' must be "yes" or "no", found 'maybe'`);
    });

    it('a target in another case ("Yes")', async () => {
      const error = await loadError(await writeCsv(lines(HEADER, withField(ROW_YES, 20, '"Yes"'))));
      expect(error.line).toBe(2);
    });

    it('a row with too many fields', async () => {
      const file = await writeCsv(lines(HEADER, ROW_NO_1, `${ROW_NO_2};1`));
      const error = await loadError(file);
      expect(error.line).toBe(3);
      expect(error.message).toBe(`${file}, line 3: expected 21 fields, found 22`);
    });

    it('a row with too few fields', async () => {
      const file = await writeCsv(lines(HEADER, withoutField(ROW_NO_1, 3), ROW_NO_2));
      const error = await loadError(file);
      expect(error.line).toBe(2);
      expect(error.message).toBe(`${file}, line 2: expected 21 fields, found 20`);
    });

    it('counts blank lines when reporting the line', async () => {
      const error = await loadError(await writeCsv(lines(HEADER, '', ROW_NO_1, '', withField(ROW_NO_2, 0, 'x'))));
      expect(error.line).toBe(5);
    });

    it('an unclosed quote', async () => {
      const file = await writeCsv(lines(HEADER, ROW_NO_1, withField(ROW_NO_2, 1, '"services'), ROW_YES));
      const error = await loadError(file);
      expect(error.file).toBe(file);
      expect(error.line).toBe(3);
      expect(error.message).toMatch(new RegExp(`^${escape(file)}, line 3: `));
    });

    it('a stray character after a closing quote', async () => {
      const file = await writeCsv(lines(HEADER, ROW_NO_1, ROW_NO_2, withField(ROW_YES, 1, '"technician"x')));
      const error = await loadError(file);
      expect(error.line).toBe(4);
      expect(error.message).toMatch(new RegExp(`^${escape(file)}, line 4: malformed CSV: expected ';' after a quoted field, found 'x'`));
    });

    it('a comma-separated file with quoted names (as a spreadsheet would export it)', async () => {
      const toCommas = (l: string) => l.replace(/;/g, ',');
      const file = await writeCsv(lines(toCommas(HEADER), toCommas(ROW_NO_1)));
      const error = await loadError(file);
      expect(error.file).toBe(file);
      expect(error.line).toBe(1);
      expect(error.message).toMatch(new RegExp(`^${escape(file)}, line 1: `));
    });

    it('a parse error deep in a large file, on the right line', async () => {
      const rows = readFileSync(BANK_CSV, 'utf8').split('\r\n').slice(0, 3000);
      rows[2500] = withField(rows[2500], 20, `${rows[2500].split(';')[20]}x`); // file line 2501
      const error = await loadError(await writeCsv(lines(...rows)));
      expect(error.line).toBe(2501);
    });

    it('a CSV syntax error rejects with a DatasetError naming the file and the problem', async () => {
      const file = await writeCsv(lines(HEADER, ROW_NO_1, withField(ROW_YES, 1, '"technician"x')));
      const error = await loadError(file);
      expect(error.file).toBe(file);
      expect(error.message.startsWith(file)).toBe(true);
      expect(error.problem).toMatch(/^malformed CSV: /);
    });

    it('a comma-separated file with unquoted names', async () => {
      const toCommas = (l: string) => l.replace(/;/g, ',').replace(/"/g, '');
      const file = await writeCsv(lines(toCommas(HEADER), toCommas(ROW_NO_1)));
      const error = await loadError(file);
      expect(error.line).toBe(1);
      expect(error.problem).toBe(`the header is ','-separated, but schema bank-marketing says ';' (its "separator")`);
    });

    it('the error is a DatasetError carrying file, line and problem', async () => {
      const file = await writeCsv(lines(HEADER, withField(ROW_NO_1, 11, 'two')));
      const error = await loadError(file);
      expect(error.name).toBe('DatasetError');
      expect(error).toBeInstanceOf(Error);
      expect({ file: error.file, line: error.line, problem: error.problem }).toEqual({
        file,
        line: 2,
        problem: "column 'campaign' must be a number, found 'two'",
      });
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
