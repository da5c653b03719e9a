import type { SafetensorsDtype } from './dtypes';

/** One tensor to write: its little-endian bytes must match dtype x shape. */
export interface TensorToWrite {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  bytes: Uint8Array;
}

/**
 * Encodes tensors as a safetensors file: 8-byte little-endian header length, the JSON header
 * (padded with spaces to a multiple of 8 so the data starts aligned, as the reference writer
 * does), then the tensors packed in the given order.
 */
export function encodeSafetensors(tensors: TensorToWrite[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const t of tensors) {
    if (Object.hasOwn(header, t.name)) throw new Error(`safetensors: tensor ${JSON.stringify(t.name)} is written twice`);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.byteLength] };
    offset += t.bytes.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerLength);
  let position = 8 + headerLength;
  for (const t of tensors) {
    out.set(t.bytes, position);
    position += t.bytes.byteLength;
  }
  return out;
}
