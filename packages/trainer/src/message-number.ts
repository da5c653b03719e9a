/**
 * A loss or norm as an error message shows it: 4 significant digits (`16.12`, not
 * `16.118095650958`), and a non-finite value in words.
 */
export function messageNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN (not a number)';
  if (value === Infinity) return 'infinity';
  if (value === -Infinity) return 'minus infinity';
  return String(Number(value.toPrecision(4)));
}
