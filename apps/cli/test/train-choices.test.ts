import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

// The choices come from the trainer's registries, so they cannot drift from the code.
describe('resnet train --optimizer / --schedule', () => {
  it('lists every registered optimizer and schedule in --help', () => {
    const result = runCli(['train', '--help']);
    expect(result.code).toBe(0);
    for (const name of ['"adam"', '"sgd"', '"rmsprop"', '"lamb"', '"lion"', '"constant"', '"one-cycle"', '"plateau"']) {
      expect(result.stdout).toContain(name);
    }
  });

  it('exits 2 for an unknown optimizer, naming the flag and the registered ones', () => {
    const result = runCli(['train', '--optimizer', 'nadam']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--optimizer');
    expect(result.stderr).toContain('adam, sgd, rmsprop, lamb, lion');
    expect(result.stdout).toBe('');
  });
});
