import protobuf from 'protobufjs/light.js';
import { onnxSchema } from './onnx-schema';
import type { OnnxModel } from './types';

let root: protobuf.Root | undefined;

function modelType(): protobuf.Type {
  root ??= protobuf.Root.fromJSON(onnxSchema as unknown as protobuf.INamespace);
  return root.lookupType('onnx.ModelProto');
}

/** Serializes a model to the ONNX protobuf wire format. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  return modelType().encode(model as unknown as Record<string, unknown>).finish();
}

/**
 * Decodes a whole ONNX file into plain objects (int64 fields as numbers, bytes fields as Uint8Array views).
 * Meant for inspection and tests: it copies every initializer.
 */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  const type = modelType();
  return type.toObject(type.decode(bytes), { longs: Number, defaults: false, arrays: true }) as unknown as OnnxModel;
}

/** ModelProto.metadata_props. */
export const METADATA_PROPS_FIELD = 14;
/** ModelProto.graph and ModelProto.opset_import: every ONNX model has both. */
export const GRAPH_FIELD = 7;
export const OPSET_IMPORT_FIELD = 8;

/**
 * Reads only `metadata_props` (field 14) of an ONNX file, skipping the graph and its weights
 * without decoding them, so reading a 100 MB model's metadata costs microseconds.
 */
export function decodeOnnxMetadataProps(bytes: Uint8Array): Record<string, string> {
  const entryType = modelType().root.lookupType('onnx.StringStringEntryProto');
  const reader = protobuf.Reader.create(bytes);
  const props: Record<string, string> = {};
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === METADATA_PROPS_FIELD && wireType === 2) {
      const entry = entryType.decode(reader, reader.uint32()) as unknown as { key: string; value: string };
      props[entry.key] = entry.value;
    } else if (field === GRAPH_FIELD && wireType === 2) {
      reader.skip(reader.uint32());
    } else {
      reader.skipType(wireType);
    }
  }
  return props;
}
