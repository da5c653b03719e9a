// Browser-only: checkpoints in IndexedDB (one atomic record per checkpoint).
import { KeyValueCheckpointStore } from '../key-value-store';
import { indexedDbKeyValueStore } from './indexed-db';

export { indexedDbKeyValueStore } from './indexed-db';

/** A CheckpointStore in IndexedDB: `train({ ..., store: await indexedDbCheckpointStore('my-run') })`. */
export async function indexedDbCheckpointStore(runName: string, databaseName?: string): Promise<KeyValueCheckpointStore> {
  return new KeyValueCheckpointStore(await indexedDbKeyValueStore(databaseName), runName);
}
