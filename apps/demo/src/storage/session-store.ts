/**
 * What the page keeps across reloads, in IndexedDB: the user's classes with their images (as
 * Blobs), the backend the user picked, and a note of the saved run (so "Resume" is offered only
 * when there is one). One record per key through the trainer's key-value store, whose puts are
 * atomic: a reload mid-write keeps the previous value, never half of a new one.
 */
import type { KeyValueStore, Recipe } from '@resnet-ts/trainer';
import { indexedDbKeyValueStore } from '@resnet-ts/trainer/browser';

const DATABASE = 'resnet-demo-session';

export interface StoredClass {
  name: string;
  images: Blob[];
}

/** What the Train tab records once a run with checkpoints has written its `last` checkpoint. */
export interface SavedRunNote {
  classNames: string[];
  step: number;
  savedAt: string;
  /** The run's recipe, which the form shows after a reload (notes written before it have none). */
  recipe?: Pick<Recipe, 'model' | 'data' | 'training'>;
}

interface SessionRecords {
  classes: StoredClass[];
  backend: string;
  savedRun: SavedRunNote | null;
}

export class SessionStore {
  private constructor(private readonly kv: KeyValueStore | undefined) {}

  /**
   * Opens the page's store. Without IndexedDB (some private modes) the page still works and
   * keeps nothing: `available` says so.
   */
  static async open(): Promise<SessionStore> {
    try {
      return new SessionStore(await indexedDbKeyValueStore(DATABASE));
    } catch {
      return new SessionStore(undefined);
    }
  }

  get available(): boolean {
    return this.kv !== undefined;
  }

  async get<K extends keyof SessionRecords>(key: K): Promise<SessionRecords[K] | undefined> {
    return ((await this.kv?.get(key)) as SessionRecords[K] | undefined) ?? undefined;
  }

  async put<K extends keyof SessionRecords>(key: K, value: SessionRecords[K]): Promise<void> {
    await this.kv?.put(key, value);
  }
}

/** Keeps only well-formed classes from a stored record (an older or damaged record loses nothing else). */
export function validStoredClasses(value: unknown): StoredClass[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const classes = value.filter(
    (c): c is StoredClass => typeof c?.name === 'string' && Array.isArray(c.images) && c.images.every((i: unknown) => i instanceof Blob),
  );
  return classes.length > 0 ? classes : undefined;
}
