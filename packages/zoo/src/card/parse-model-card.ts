import type { z } from 'zod';
import { MODEL_CARD_VERSION, modelCardSchema, type ModelCard } from './schema';

/** An invalid model card; the message names each bad key and what it allows. */
export class ModelCardError extends Error {
  override readonly name = 'ModelCardError';
}

/** `key: problem` for each issue, e.g. `preprocessing.normalization: Invalid enum value. Expected 'caffe' | ..., received 'bgr'`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

/** Validates a model card (from JSON or a caller), or throws a `ModelCardError` naming the bad keys. */
export function parseModelCard(value: unknown): ModelCard {
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > MODEL_CARD_VERSION) {
    throw new ModelCardError(`Model card version ${version} is newer than this @resnet-ts/zoo reads (${MODEL_CARD_VERSION}); upgrade @resnet-ts/zoo`);
  }
  const parsed = modelCardSchema.safeParse(value);
  if (!parsed.success) throw new ModelCardError(`Invalid model card: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
