const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** ONNX `raw_data` is little-endian whatever the host; copies the values into a fresh buffer. */
export function float32LittleEndian(values: ArrayLike<number>): Uint8Array {
  if (hostIsLittleEndian) {
    const copy = Float32Array.from(values);
    return new Uint8Array(copy.buffer, copy.byteOffset, copy.byteLength);
  }
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

export function int64LittleEndian(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setBigInt64(i * 8, BigInt(value), true));
  return bytes;
}
