/** Raised when a model cannot be exported; the message names the layer and what to do. */
export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError';
}
