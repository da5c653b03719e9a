/**
 * A loss or norm as a message shows it: 4 significant digits, and a non-finite value in words (as
 * the trainer's own `NonFiniteLossError` says it, so the page reads the same either way).
 */
export function messageNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN (not a number)';
  if (value === Infinity) return 'infinity';
  if (value === -Infinity) return 'minus infinity';
  return String(Number(value.toPrecision(4)));
}
