/**
 * A round step near `raw`: 1, 2, 2.5 or 5 times a power of ten; and the decimals its ticks need.
 * Chart axes (the replay's and the dashboard's) tick at multiples of it.
 */
export function niceStep(raw: number): { step: number; decimals: number } {
  const power = Math.floor(Math.log10(raw));
  const fraction = raw / 10 ** power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  const exponent = nice === 10 ? power + 1 : power;
  const step = (nice === 10 ? 1 : nice) * 10 ** exponent;
  return { step, decimals: Math.max(0, -exponent + (nice === 2.5 ? 1 : 0)) };
}
