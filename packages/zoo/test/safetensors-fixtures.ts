/** Hand-built safetensors bytes for malformed-file tests: any header (object or raw text), any data, any declared length. */
export function rawSafetensors(header: object | string, data: Uint8Array = new Uint8Array(0), declaredLength?: number | bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? json.byteLength), true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

/** Little-endian float32 bytes. */
export const f32Bytes = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
