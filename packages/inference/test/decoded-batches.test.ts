import { describe, expect, it } from 'vitest';
import { DecodedBatches, ImageDecodeError } from '../src/node/decoded-batches';

/** A 2x1 "image" whose bytes say which file it came from. */
const pixelsOf = (file: string) => new Uint8Array(6).fill(Number(file.slice(1)));

/** A decode that resolves only when the test says so, recording the order of requests. */
function controlledDecode() {
  const requested: string[] = [];
  const waiting = new Map<string, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();
  return {
    requested,
    decode(file: string) {
      requested.push(file);
      return new Promise<Uint8Array>((resolve, reject) => waiting.set(file, { resolve, reject }));
    },
    finish(file: string, error?: Error) {
      const pending = waiting.get(file)!;
      if (error) pending.reject(error);
      else pending.resolve(pixelsOf(file));
    },
  };
}

const batches = [['f1', 'f2'], ['f3', 'f4'], ['f5', 'f6'], ['f7']];
/** Bytes of float32 pixels in one batch of two 2x1 images. */
const batchBytes = 2 * 2 * 1 * 3 * 4;

describe('DecodedBatches', () => {
  it('decodes ahead within its byte budget and hands batches over in order, normalized', async () => {
    const control = controlledDecode();
    const decoded = new DecodedBatches({ decode: control.decode, imageSize: [2, 1], batches, normalization: 'unit', aheadBytes: 2 * batchBytes });
    // Two batches fit the budget: their four files are requested at once, the rest wait.
    expect(control.requested).toEqual(['f1', 'f2', 'f3', 'f4']);
    // Completion order does not matter: batch 1 comes out first.
    for (const file of ['f4', 'f3', 'f2', 'f1']) control.finish(file);
    const first = await decoded.next();
    expect(Array.from(first)).toEqual([...Array(6).fill(1 / 255), ...Array(6).fill(2 / 255)].map(Math.fround));
    // Taking a batch frees room for the next one.
    expect(control.requested).toEqual(['f1', 'f2', 'f3', 'f4', 'f5', 'f6']);
    expect(Array.from(await decoded.next()).slice(0, 1)).toEqual([Math.fround(3 / 255)]);
    for (const file of ['f5', 'f6', 'f7']) control.finish(file);
    expect((await decoded.next()).length).toBe(12);
    expect((await decoded.next()).length).toBe(6);
    expect(decoded.pending).toBe(0);
    await expect(decoded.next()).rejects.toThrow(/no batches left/);
  });

  it('holds at least one batch, however small the budget', () => {
    const control = controlledDecode();
    new DecodedBatches({ decode: control.decode, imageSize: [2, 1], batches, normalization: 'unit', aheadBytes: 1 });
    expect(control.requested).toEqual(['f1', 'f2']);
  });

  it('names the file that failed, and reports the earliest failing batch first', async () => {
    const control = controlledDecode();
    const decoded = new DecodedBatches({ decode: control.decode, imageSize: [2, 1], batches, normalization: 'unit', aheadBytes: 4 * batchBytes });
    control.finish('f6', new Error('not a readable image'));
    control.finish('f2', new Error('file is empty'));
    for (const file of ['f1', 'f3', 'f4', 'f5', 'f7']) control.finish(file);
    const failure = decoded.next();
    await expect(failure).rejects.toThrow(ImageDecodeError);
    await expect(failure).rejects.toThrow('f2: file is empty');
    await decoded.close();
    expect(decoded.pending).toBe(0);
  });
});
