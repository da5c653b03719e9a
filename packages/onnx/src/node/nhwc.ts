/** Copies an NHWC float batch into NCHW order (for models exported with `layout: 'nchw'`). */
export function nhwcToNchw(data: Float32Array, batch: number, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(data.length);
  const plane = height * width;
  for (let b = 0; b < batch; b++) {
    const base = b * plane * channels;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < channels; c++) out[base + c * plane + p] = data[base + p * channels + c];
    }
  }
  return out;
}
