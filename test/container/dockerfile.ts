/**
 * A small reader for the project's Dockerfile, enough for the container tests: instructions with
 * their line, continuation lines joined, comments dropped, JSON (exec) form recognised, stages split
 * at FROM. It follows the Dockerfile reference for what our file uses; it is not a full parser
 * (no heredocs, no ARG/ENV substitution, no escape directive).
 */

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
}

export interface Stage {
  /** `FROM <image> [AS <name>]` */
  image: string;
  name: string | null;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const result: Instruction[] = [];
  let pending: { parts: string[]; line: number } | null = null;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines are dropped, even inside a continued instruction (as Docker does).
    if (trimmed.startsWith('#')) return;
    if (trimmed === '' && pending === null) return;
    const continued = /\\\s*$/.test(raw);
    const content = continued ? raw.replace(/\\\s*$/, '') : raw;
    if (pending === null) pending = { parts: [], line: index + 1 };
    pending.parts.push(content.trim());
    if (!continued) {
      const joined = pending.parts.filter((p) => p !== '').join(' ');
      const match = /^(\S+)\s*(.*)$/.exec(joined);
      if (match) result.push({ keyword: match[1].toUpperCase(), args: match[2], line: pending.line });
      pending = null;
    }
  });
  if (pending !== null) throw new Error('Dockerfile ends inside a continued line');
  return result;
}

export function splitStages(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--platform'));
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ image: words[0], name: asIndex >= 0 ? words[asIndex + 1] : null, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before FROM`);
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

/** The JSON array of an exec-form CMD/ENTRYPOINT/RUN/HEALTHCHECK CMD, or null for the shell form. */
export function execForm(args: string): string[] | null {
  const text = args.trim();
  if (!text.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : null;
  } catch {
    return null; // Docker too treats a malformed array as the shell form
  }
}

/** Splits words the way a shell would for simple cases: whitespace, single and double quotes. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${text}`);
  if (inWord) words.push(current);
  return words;
}

/** `ENV A=1 B="x y"` (or the legacy `ENV A 1`) -> { A: '1', B: 'x y' }. */
export function envAssignments(args: string): Record<string, string> {
  const words = shellWords(args);
  if (words.length > 0 && !words[0].includes('=')) {
    const match = /^(\S+)\s+(.*)$/.exec(args.trim());
    return match ? { [match[1]]: match[2] } : {};
  }
  const env: Record<string, string> = {};
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`ENV: cannot read '${word}'`);
    env[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return env;
}

export interface CopyInstruction {
  from: string | null;
  sources: string[];
  destination: string;
  flags: string[];
}

/** `COPY [--from=x] [--chown=...] src... dest` (shell or JSON form). */
export function copyArgs(args: string): CopyInstruction {
  const words = execForm(args.replace(/^(--\S+\s+)+/, '')) ?? shellWords(args.replace(/^(--\S+\s+)+/, ''));
  const flags = (args.match(/^(--\S+\s+)+/)?.[0] ?? '').trim().split(/\s+/).filter(Boolean);
  const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length) ?? null;
  if (words.length < 2) throw new Error(`COPY needs a source and a destination: ${args}`);
  return { from, sources: words.slice(0, -1), destination: words[words.length - 1], flags };
}

export interface Healthcheck {
  options: Record<string, string>;
  /** The command as exec-form argv, or null when given in shell form. */
  exec: string[] | null;
  /** The command text as written. */
  command: string;
}

export function healthcheckArgs(args: string): Healthcheck {
  const match = /^((?:--\S+\s+)*)CMD\s+(.*)$/is.exec(args.trim());
  if (!match) throw new Error(`HEALTHCHECK without CMD: ${args}`);
  const options: Record<string, string> = {};
  for (const flag of match[1].trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = flag.replace(/^--/, '').split('=', 2);
    options[key] = value ?? '';
  }
  return { options, exec: execForm(match[2]), command: match[2] };
}

/**
 * .dockerignore rules (Go filepath.Match plus `**`, patterns from the context root, `!` re-includes,
 * the last matching rule wins; a rule that matches a folder excludes everything under it).
 */
export function dockerignoreMatcher(text: string): (relativePath: string) => boolean {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, regex: new RegExp(`^${globToRegex(pattern)}(?:/.*)?$`) };
    });
  return (relativePath: string) => {
    const p = relativePath.split('\\').join('/');
    let excluded = false;
    for (const rule of rules) if (rule.regex.test(p)) excluded = !rule.negate;
    return excluded;
  };
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
