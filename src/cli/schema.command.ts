import { Module } from '@nestjs/common';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { writeFileAtomic } from '../common/atomic-file';
import { firstLine, readCsvTable } from '../data/csv-table';
import { inferSchema, sniffSeparator } from '../data/infer-schema';
import { parseSchema } from '../data/schema-file';
import { COMMANDS } from './command-catalogue';
import { failCommand, formatTable } from './cli-output';

interface SchemaOptions {
  data?: string;
  target?: string;
  positive?: string;
  drop?: string[];
  out?: string;
  separator?: string;
  name?: string;
}

/** `schema`: reads a CSV and writes a draft dataset schema for the user to review, with a summary table. */
@Command(COMMANDS.schema)
export class SchemaCommand extends CommandRunner {
  async run(_args: string[], options: SchemaOptions = {}): Promise<void> {
    try {
      const { data, target, positive, out } = options;
      const missing = (['data', 'target', 'positive', 'out'] as const).filter((k) => !options[k]).map((k) => `--${k}`);
      if (missing.length > 0) throw new Error(`schema needs ${missing.join(', ')} (see schema --help)`);
      if (existsSync(out!)) throw new Error(`${out} already exists: choose another --out (or delete it)`);
      const separator = options.separator ?? sniffSeparator(await firstLine(data!));
      const table = await readCsvTable(data!, separator);
      const name = options.name ?? path.basename(data!).replace(/\.[^.]*$/, '');
      const { schema, notes } = inferSchema(table.header, table.rows, {
        name,
        separator,
        target: target!,
        positive: positive!,
        drop: options.drop ?? [],
      });
      parseSchema(schema, out!); // what is written must read back
      await writeFileAtomic(out!, `${JSON.stringify(schema, null, 2)}\n`);
      const rows = schema.columns.map((c) => [c.name, c.csv_name ?? '', c.role ?? 'feature', c.type ?? '', notes[c.name] ?? '']);
      process.stdout.write(
        [
          `read ${table.rows.length} rows of ${data} (separator ${JSON.stringify(separator)}); draft schema '${name}' written to ${out}`,
          '',
          formatTable(['column', 'renamed from', 'role', 'type', 'why'], rows),
          '',
          'Review it (ranges, categories, roles), then: node dist/cli train --data ' + `${data} --schema ${out}`,
          '',
        ].join('\n'),
      );
    } catch (err) {
      failCommand(err);
    }
  }

  @Option({ flags: '--data <file>', description: 'The CSV to read (required)' })
  parseData(value: string): string {
    return value;
  }

  @Option({ flags: '--target <column>', description: 'The column to predict, as in the header (required)' })
  parseTarget(value: string): string {
    return value;
  }

  @Option({ flags: '--positive <label>', description: "The target's positive label (required)" })
  parsePositive(value: string): string {
    return value;
  }

  @Option({ flags: '--drop <column>', description: 'A column to leave out of the model (repeatable)' })
  parseDrop(value: string, previous: string[] = []): string[] {
    return [...previous, value];
  }

  @Option({ flags: '--out <file>', description: 'Where to write the schema JSON (required; never overwritten)' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--separator <char>', description: 'The CSV separator (default: guessed from the header)' })
  parseSeparator(value: string): string {
    return value === '\\t' ? '\t' : value;
  }

  @Option({ flags: '--name <name>', description: "The schema's name (default: the file's name)" })
  parseName(value: string): string {
    return value;
  }
}

@Module({ providers: [SchemaCommand] })
export class SchemaCommandModule {}
