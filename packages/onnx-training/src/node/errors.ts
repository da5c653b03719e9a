/** The onnxruntime engine cannot train this model or cannot start its session (the message says which layer, setting or provider, and what to do). */
export class OnnxTrainingError extends Error {
  override readonly name = 'OnnxTrainingError';
}
