import { describe, expect, it } from 'vitest';
import type { InfoReport } from '../src/commands/info';
import { runCli, runCliJson } from './run-cli';

/**
 * Whether `--backend tensorflow` actually starts here (it needs @tensorflow/tfjs-node and its
 * native library, which the install usually cannot download). Asked once, of the binary itself.
 */
const nativeStarts = runCli(['info', '--json', '--backend', 'tensorflow']).code === 0;
if (nativeStarts) console.warn('cli backend tests: @tensorflow/tfjs-node works here; skipping the tests of its absence');

describe('backend selection', () => {
  it('runs on cpu when asked, with nothing on stderr', () => {
    const { value, stderr } = runCliJson<InfoReport>(['info', '--json', '--backend', 'cpu']);
    expect(value.backend).toMatchObject({ requested: 'cpu', backend: 'cpu', tfjsBackend: 'cpu', skipped: [] });
    expect(value.tfjs).toMatch(/^4\.22\./);
    expect(stderr).toBe('');
  });

  it('runs on wasm when asked, with the threads asked for', () => {
    const { value, stderr } = runCliJson<InfoReport>(['--backend', 'wasm', '--threads', '2', 'info', '--json']);
    expect(value.backend).toMatchObject({ requested: 'wasm', backend: 'wasm', tfjsBackend: 'wasm', skipped: [] });
    expect(value.backend).toMatchObject({ simd: true, threads: 2, canTrain: true });
    expect(stderr).toBe('');
  });

  it('takes the backend from RESNET_BACKEND, and the flag over it', () => {
    expect(runCliJson<InfoReport>(['info', '--json'], { RESNET_BACKEND: 'cpu' }).value.backend.backend).toBe('cpu');
    const flagWins = runCliJson<InfoReport>(['info', '--json', '--backend', 'wasm'], { RESNET_BACKEND: 'cpu' });
    expect(flagWins.value.backend.backend).toBe('wasm');
  });

  describe.skipIf(nativeStarts)('without a working @tensorflow/tfjs-node', () => {
    it('auto falls back to wasm and says why in one stderr line', () => {
      const { value, stderr } = runCliJson<InfoReport>(['info', '--json']);
      expect(value.backend.requested).toBe('auto');
      expect(value.backend.backend).toBe('wasm');
      expect(value.backend.skipped.map((skip) => skip.backend)).toEqual(['tensorflow-gpu', 'tensorflow']);
      expect(value.backend.skipped[1]).toMatchObject({
        reason: expect.stringMatching(/^@tensorflow\/tfjs-node (is not installed|failed to load)/),
        installHint: 'npm i @tensorflow/tfjs-node',
      });
      const lines = stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/using the wasm backend/);
      expect(lines[0]).toMatch(/tensorflow \(@tensorflow\/tfjs-node (is not installed|failed to load)/);
    });

    it('refuses an explicit --backend tensorflow with the install hint, in one line', () => {
      const result = runCli(['info', '--backend', 'tensorflow']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('npm i @tensorflow/tfjs-node');
    });

    it('refuses an explicit --backend tensorflow-gpu with its own install hint', () => {
      const result = runCli(['info', '--backend', 'tensorflow-gpu']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('npm i @tensorflow/tfjs-node-gpu');
    });

    it('adds the stack trace to an error when RESNET_DEBUG=1', () => {
      const result = runCli(['info', '--backend', 'tensorflow'], { RESNET_DEBUG: '1' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/\n\s+at /);
    });
  });

  it('prints a readable text report', () => {
    const result = runCli(['info', '--backend', 'cpu']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^backend\s+cpu \(requested: cpu/m);
    expect(result.stdout).toMatch(/^tfjs\s+4\.22\./m);
  });
});
