/** How log lines are written: `pretty` for a person, `json` for a collector, `auto` decides by stdout. */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Pretty lines when asked for, or when `auto` and stdout is a terminal; JSON lines otherwise (pipes, files, collectors). */
export function usesPrettyLines(format: LogFormat, stdoutIsTTY: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTTY);
}
