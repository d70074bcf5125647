import { existsSync, statSync } from 'node:fs';

/** The `--storage` option of every command that reads the storage folder (see readsStorage). */
export const STORAGE_OPTION = { flags: '--storage <dir>', description: 'Storage folder (default: STORAGE_DIR)' };

/**
 * The folder given with `--storage DIR` or `--storage=DIR` in a command's arguments (the last one
 * wins, as with commander), or undefined. A command that only reads or changes what is stored
 * (`mustExist`) refuses a folder that does not exist rather than report an empty storage.
 */
export function storageArgument(args: readonly string[], mustExist: boolean): string | undefined {
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') break;
    if (args[i] === '--storage') {
      if (i + 1 >= args.length) throw new Error('--storage needs a folder');
      dir = args[++i];
    } else if (args[i].startsWith('--storage=')) {
      dir = args[i].slice('--storage='.length);
    }
  }
  if (dir === undefined) return undefined;
  if (dir.trim() === '') throw new Error('--storage needs a folder');
  if (mustExist && !(existsSync(dir) && statSync(dir).isDirectory())) throw new Error(`--storage ${dir}: no such folder`);
  return dir;
}
