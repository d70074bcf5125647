import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { COMMANDS, CommandName, readsStorage } from './command-catalogue';
import { storageArgument } from './storage-option';

describe('storageArgument', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'shmp-storage-option-'));

  it('reads --storage DIR and --storage=DIR (the last one wins), and nothing after --', () => {
    expect(storageArgument(['--window', '5'], true)).toBeUndefined();
    expect(storageArgument(['--storage', dir], true)).toBe(dir);
    expect(storageArgument([`--storage=${dir}`, '--events'], true)).toBe(dir);
    expect(storageArgument(['--storage', '/first', `--storage=${dir}`], true)).toBe(dir);
    expect(storageArgument(['--', '--storage', '/x'], true)).toBeUndefined();
  });

  it('refuses a missing value, an empty one, and (for commands that only read) a folder that is not there', () => {
    expect(() => storageArgument(['--storage'], false)).toThrow('--storage needs a folder');
    expect(() => storageArgument(['--storage='], false)).toThrow('--storage needs a folder');
    expect(() => storageArgument(['--storage', path.join(dir, 'nope')], true)).toThrow(
      `--storage ${path.join(dir, 'nope')}: no such folder`,
    );
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    expect(() => storageArgument(['--storage', file], true)).toThrow('no such folder');
    // train creates its storage folder.
    expect(storageArgument(['--storage', path.join(dir, 'new')], false)).toBe(path.join(dir, 'new'));
  });

  it('every command but replay (whose --storage is its scratch service) reads STORAGE_DIR from --storage', () => {
    const names = Object.keys(COMMANDS) as CommandName[];
    expect(names.filter(readsStorage)).toEqual(['train', 'drift', 'models', 'promote', 'rollback', 'heal', 'migrate-storage']);
  });
});
