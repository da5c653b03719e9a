import type * as tf from '@tensorflow/tfjs';

/** Weight quantisation on export, as tfjs manifests describe it (`quantization: {dtype, scale, min}`). */
export type QuantizationMode = 'float16' | 'uint8' | 'uint16';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> IEEE half bits, round to nearest even (subnormals, infinities and NaN kept). */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half += 1;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half += 1;
  return sign | half;
}

/**
 * Affine range like tfjs-converter's: scale = (max - min) / levels, with min nudged so that 0.0
 * is exactly representable (zero padding and ReLU outputs stay exact).
 */
function affineRange(values: Float32Array, levels: number): { scale: number; min: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0 || min === max) return { scale: 1, min: values.length === 0 ? 0 : min };
  const scale = (max - min) / levels;
  if (min <= 0 && max >= 0) min = -Math.round(-min / scale) * scale;
  return { scale, min };
}

function quantizeOne(values: Float32Array, mode: QuantizationMode) {
  if (mode === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i += 1) out[i] = float32ToFloat16Bits(values[i]);
    return { bytes: new Uint8Array(out.buffer), quantization: { dtype: 'float16' as const } };
  }
  const levels = mode === 'uint8' ? 255 : 65535;
  const { scale, min } = affineRange(values, levels);
  const out = mode === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i += 1) out[i] = Math.min(levels, Math.max(0, Math.round((values[i] - min) / scale)));
  return { bytes: new Uint8Array(out.buffer), quantization: { dtype: mode, scale, min } };
}

/**
 * Quantises the float32 weights of an artifacts' weight buffer; other dtypes are copied as they are.
 * Returns new specs and a new buffer; weights that are already quantised are refused.
 */
export function quantizeWeights(specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer, mode: QuantizationMode) {
  const parts: Uint8Array[] = [];
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.quantization) throw new Error(`weight ${spec.name} is already quantised; export from an unquantised model`);
    const elements = spec.shape.reduce((a, b) => a * b, 1);
    const width = spec.dtype === 'bool' ? 1 : 4;
    const raw = new Uint8Array(data, offset, elements * width);
    offset += elements * width;
    if (spec.dtype !== 'float32') {
      parts.push(raw.slice());
      outSpecs.push({ ...spec });
      continue;
    }
    const { bytes, quantization } = quantizeOne(new Float32Array(raw.slice().buffer), mode);
    parts.push(bytes);
    outSpecs.push({ ...spec, quantization });
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.byteLength;
  }
  return { specs: outSpecs, data: joined.buffer };
}
