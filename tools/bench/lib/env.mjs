// Shared helpers of the bench sections. This folder is outside sections/ because run.mjs imports
// every .mjs file there as a section.

/** The integer in environment variable `key` (a bench knob such as BENCH_TRAIN_STEPS), or `fallback` when unset or empty. */
export function envInt(key, fallback) {
  const value = process.env[key];
  return value == null || value === '' ? fallback : Number.parseInt(value, 10);
}
