import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('resnet program', () => {
  it('prints the package version with --version', () => {
    const result = runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('lists every command and the global options in --help', () => {
    const result = runCli(['--help']);
    expect(result.code).toBe(0);
    for (const text of ['info', 'models', 'summary', '--backend', '--threads', 'RESNET_BACKEND']) {
      expect(result.stdout).toContain(text);
    }
  });

  it.each([
    ['info', '--json'],
    ['models', '--json'],
    ['summary', '--input-size'],
  ])('has --help for %s', (command, flag) => {
    const result = runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: resnet ${command}`);
    expect(result.stdout).toContain(flag);
  });

  it.each([
    { args: ['info', '--bogus'], names: '--bogus' },
    { args: ['--backend', 'foo', 'info'], names: '--backend' },
    { args: ['summary', 'resnet50', '--input-size', 'abc'], names: '--input-size' },
    { args: ['summary', 'resnet50', '--input-size', '16'], names: '--input-size' },
    { args: ['summary', 'resnet18', '--input-size', '100000'], names: "'--input-size <n>' argument '100000' is invalid. Expected an integer from 32 to 2048" },
    { args: ['summary', 'resnet18', '--channels', '1000000'], names: "'--channels <n>' argument '1000000' is invalid. Expected an integer from 1 to 1024" },
    { args: ['train', '--input-size', '100000'], names: "'--input-size <n>' argument '100000' is invalid" },
    { args: ['convert', 'in.h5', 'out', '--model', 'resnet18', '--input-size', '100000'], names: "'--input-size <n>' argument '100000' is invalid" },
    { args: ['info', '--threads', '0'], names: '--threads' },
    { args: ['info', '--backend', 'wasm', '--threads', '99'], names: '--threads' },
    { args: ['summary', 'resnet50', '--pooling', 'avg'], names: '--pooling' },
    { args: ['summary', 'resnet5'], names: 'resnet50' },
    { args: ['nonsense'], names: 'nonsense' },
  ])('exits 2 with a usage error naming $names for $args', ({ args, names }) => {
    const result = runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(names);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 naming RESNET_BACKEND when the variable holds an unknown backend', () => {
    const result = runCli(['info'], { RESNET_BACKEND: 'tpu' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('RESNET_BACKEND');
  });
});
