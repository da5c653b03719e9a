import { describe, expect, it } from 'vitest';
import { EngineError } from '../src/engine';
import { resolveEngine } from '../src/node/engine-choice';

describe('resolveEngine', () => {
  it('auto and onnx pick onnxruntime when it is installed; tfjs stays tfjs', async () => {
    expect(await resolveEngine('auto')).toBe('onnx');
    expect(await resolveEngine('onnx')).toBe('onnx');
    expect(await resolveEngine('tfjs', 'run/model.json')).toBe('tfjs');
  });

  it('refuses to run an .onnx file on tfjs, saying which engines can', async () => {
    const refused = resolveEngine('tfjs', 'model.onnx');
    await expect(refused).rejects.toThrow(EngineError);
    await expect(refused).rejects.toThrow('engine tfjs cannot run model.onnx: an .onnx file runs on onnxruntime (engine onnx or auto)');
    await expect(refused).rejects.toMatchObject({ engine: 'tfjs', problem: expect.stringMatching(/^cannot run model\.onnx/) });
  });
});
