import type { KeyValueStore } from '../key-value-store';

const STORE = 'checkpoints';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** A key-value store over one IndexedDB database (object store "checkpoints"). */
export async function indexedDbKeyValueStore(databaseName = 'resnet-ts-trainer'): Promise<KeyValueStore> {
  if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available here: use MemoryCheckpointStore or the Node run folders.');
  const open = indexedDB.open(databaseName, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  const db = await request(open);
  return {
    get: (key) => request(db.transaction(STORE, 'readonly').objectStore(STORE).get(key)),
    put: (key, value) =>
      new Promise<void>((resolve, reject) => {
        const tx = db.transaction(STORE, 'readwrite');
        tx.objectStore(STORE).put(value, key);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error ?? new Error(`IndexedDB: cannot save ${key}`));
        tx.onabort = () => reject(tx.error ?? new Error(`IndexedDB: saving ${key} was aborted (storage full?)`));
      }),
  };
}
