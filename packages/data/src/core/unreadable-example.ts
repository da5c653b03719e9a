/**
 * An example that could not be read, with `onError: 'throw'`. `detail` says which one and why
 * (file, CSV line or HDF5 key); the message adds how to skip such examples, which an app may word
 * for its own flag instead.
 */
export class UnreadableExampleError extends Error {
  override readonly name = 'UnreadableExampleError';

  constructor(readonly detail: string) {
    super(`${detail} (pass onError: 'skip' to leave unreadable examples out)`);
  }
}
