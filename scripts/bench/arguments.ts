/**
 * `--name N` from a benchmark's command line: `fallback` when it is absent, an error (rather than
 * a run with NaN rounds) when N is not a number of at least `min`.
 */
export function numberArgument(args: string[], name: string, fallback: number, min = 0): number {
  const i = args.indexOf(`--${name}`)
  if (i < 0) return fallback
  const value = Number(args[i + 1])
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name}: expected a number of at least ${min}, got ${args[i + 1]}`)
  return value
}
