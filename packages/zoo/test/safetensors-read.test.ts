import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../src/index';
import { f32Bytes, rawSafetensors } from './safetensors-fixtures';

const entry = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });

describe('readSafetensors', () => {
  it('reads the header, __metadata__ and F32 / F16 / BF16 / F64 tensors as float32', async () => {
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x7c00]).buffer); // 1, -2, 0.5, 65504, 2^-24, inf
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc000, 0x4049]).buffer); // 1, -2, 3.140625
    const f64 = new Uint8Array(Float64Array.from([0.25, -1e-3]).buffer);
    const f32 = f32Bytes([1.5, -2.25]);
    const data = new Uint8Array([...f32, ...f16, ...bf16, ...f64]);
    const file = await readSafetensors(
      rawSafetensors(
        {
          __metadata__: { format: 'pt' },
          a: entry('F32', [2], 0, 8),
          b: entry('F16', [2, 3], 8, 20),
          c: entry('BF16', [3], 20, 26),
          d: entry('F64', [2], 26, 42),
        },
        data,
      ),
    );
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors).toEqual([
      { name: 'a', dtype: 'F32', shape: [2] },
      { name: 'b', dtype: 'F16', shape: [2, 3] },
      { name: 'c', dtype: 'BF16', shape: [3] },
      { name: 'd', dtype: 'F64', shape: [2] },
    ]);
    expect([...file.float32('a')]).toEqual([1.5, -2.25]);
    expect([...file.float32('b')]).toEqual([1, -2, 0.5, 65504, 2 ** -24, Infinity]);
    expect([...file.float32('c')]).toEqual([1, -2, 3.140625]);
    expect([...file.float32('d')]).toEqual([0.25, Math.fround(-1e-3)]);
  });

  it('lists integer tensors (num_batches_tracked) but refuses to read them as weights, naming the key', async () => {
    const file = await readSafetensors(rawSafetensors({ 'bn1.num_batches_tracked': entry('I64', [], 0, 8) }, new Uint8Array(8)));
    expect(file.tensors).toEqual([{ name: 'bn1.num_batches_tracked', dtype: 'I64', shape: [] }]);
    expect(() => file.float32('bn1.num_batches_tracked')).toThrow(/<\d+ bytes>: tensor "bn1.num_batches_tracked" has dtype I64; weights must be F32, F16, BF16 or F64/);
  });

  it.each([
    ['a file shorter than the length field', new Uint8Array(5), /5 bytes is too short for a safetensors file/],
    ['a header length past the end', rawSafetensors({}, new Uint8Array(0), 4096), /the header length 4096 runs past the end of the file \(10 bytes\); the file is truncated or not safetensors/],
    ['a huge header length', rawSafetensors({}, new Uint8Array(0), 2n ** 40n), /the header length 1099511627776 is over the 100000000-byte limit/],
    ['a header that is not JSON', rawSafetensors('{"a": [1,'), /the header is not valid JSON/],
    ['a header that is not an object', rawSafetensors('[1, 2]'), /the header does not start with "\{"/],
    ['bad __metadata__', rawSafetensors({ __metadata__: { format: 1 } }), /"__metadata__" must be an object of strings/],
    ['an unknown dtype', rawSafetensors({ 'conv1.weight': entry('F128', [1], 0, 16) }, new Uint8Array(16)), /tensor "conv1.weight": unknown dtype "F128" \(safetensors dtypes: BOOL, U8/],
    ['a negative dimension', rawSafetensors({ 'fc.bias': entry('F32', [-1], 0, 4) }, new Uint8Array(4)), /tensor "fc.bias": shape \[-1\] is not a list of at most 8 non-negative integers/],
    ['offsets backwards', rawSafetensors({ 'fc.bias': entry('F32', [1], 8, 4) }, new Uint8Array(8)), /tensor "fc.bias": data_offsets \[8,4\] must be \[begin, end\] with 0 <= begin <= end/],
    ['offsets that disagree with the shape', rawSafetensors({ 'fc.bias': entry('F32', [3], 0, 8) }, new Uint8Array(8)), /tensor "fc.bias": data_offsets \[0, 8\] hold 8 bytes, but F32 \[3\] needs 12/],
    [
      'overlapping tensors',
      rawSafetensors({ 'fc.weight': entry('F32', [2], 0, 8), 'fc.bias': entry('F32', [2], 4, 12) }, new Uint8Array(12)),
      /tensors "fc.weight" \[0, 8\] and "fc.bias" \[4, 12\] overlap/,
    ],
    ['a gap before a tensor', rawSafetensors({ 'fc.bias': entry('F32', [1], 4, 8) }, new Uint8Array(8)), /tensor "fc.bias" starts at byte 4, leaving 4 unused bytes before it/],
    ['truncated data', rawSafetensors({ 'fc.weight': entry('F32', [4], 0, 16) }, new Uint8Array(10)), /tensor "fc.weight" ends at byte 16 of the data, which holds only 10 bytes; the file is truncated/],
    ['trailing bytes', rawSafetensors({ 'fc.bias': entry('F32', [1], 0, 4) }, new Uint8Array(12)), /8 bytes after the last tensor; the file is corrupt/],
  ])('refuses %s with an error naming the file', async (_, bytes, message) => {
    await expect(readSafetensors(bytes)).rejects.toThrow(message);
    await expect(readSafetensors(bytes)).rejects.toThrow(/^<\d+ bytes>: /);
  });

  it('applies maxWeightBytes and maxRank to each tensor', async () => {
    const bytes = rawSafetensors({ 'fc.weight': entry('F32', [4, 4], 0, 64) }, new Uint8Array(64));
    await expect(readSafetensors(bytes, { maxWeightBytes: 32 })).rejects.toThrow(/tensor "fc.weight": shape \[4,4\] needs 64 bytes, over the 32-byte limit/);
    await expect(readSafetensors(bytes, { maxRank: 1 })).rejects.toThrow(/tensor "fc.weight": shape \[4,4\] is not a list of at most 1 non-negative integers/);
  });

  it('names a missing local file', async () => {
    await expect(readSafetensors('/nonexistent/model.safetensors')).rejects.toThrow('/nonexistent/model.safetensors: file not found');
  });
});
