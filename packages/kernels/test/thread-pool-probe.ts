/**
 * Reads XNNPACK's thread pool (pthreadpool) out of the wasm heap of the threaded tfjs-backend-wasm
 * 4.22 build, to count the tiles of a parallelized loop that the pool's worker thread ran.
 *
 * Layout (wasm32), read off the build's `pthreadpool_create`, `pthreadpool_parallelize` and worker
 * `thread_main` with `wasm2wat` (it is pthreadpool's `src/threadpool-object.h`):
 *   struct pthreadpool   threads_count at byte 132, threads[] (struct thread_info, 64 bytes) at 192
 *   struct thread_info   range_start 0, range_end 4, range_length 8, thread_number 12,
 *                        threadpool 16, thread_object (pthread_t) 20
 *
 * A loop over N tiles on 2 threads gives thread 0 (the caller) [0, a) and thread 1 (the worker)
 * [a, N). Each thread runs its own range front to back with a private cursor, counting
 * range_length down, then steals from the back of the other one's, decrementing its range_end.
 * So afterwards the worker has run (range_end[1] - a) + (a - range_end[0]) tiles: its own minus
 * those stolen from it, plus those it stole. A count of work done, not a timing.
 */

/** The parts of the Emscripten module (the wasm backend's `backend.wasm`) the probe reads. */
export interface ThreadedModule {
  wasmMemory: WebAssembly.Memory;
  PThread: { runningWorkers: Array<{ pthread_ptr: number }> };
  tfjs: { getThreadsCount(): number };
}

/** What the worker did in the last loop the pool ran since {@link TwoThreadPool.forgetLastLoop}. */
export interface LoopShares {
  /** Whether a loop was split over the two threads at all (its ranges were written). */
  dispatched: boolean;
  /** Tiles given to the caller thread: `a` above. */
  callerShare: number;
  /** Tiles the worker thread ran. */
  byWorker: number;
}

export interface TwoThreadPool {
  /** Clears the range fields (the pool is idle between kernels), so a loop that never ran reads as 0. */
  forgetLastLoop(): void;
  lastLoop(): LoopShares;
}

const POOL_THREADS_COUNT = 132;
const POOL_THREADS = 192;
const THREAD_INFO_SIZE = 64;
const RANGE_START = 0;
const RANGE_END = 4;
const THREAD_NUMBER = 12;
const THREAD_POOL = 16;
const THREAD_OBJECT = 20;

/**
 * Finds the 2-thread pool through Emscripten's bookkeeping: the thread_info whose thread_object is
 * the pthread of the one Node worker in `PThread.runningWorkers`, whose thread_number is 1 and whose
 * threadpool points back to a pool whose threads_count is what `getThreadsCount()` reports. Throws
 * if there is no such worker or no such struct (a tfjs build with another layout) rather than guess.
 */
export function findTwoThreadPool(module: ThreadedModule): TwoThreadPool {
  const workers = module.PThread.runningWorkers;
  if (workers.length !== 1 || module.tfjs.getThreadsCount() !== 2) {
    throw new Error(
      `thread-pool-probe: expected a 2-thread pool with 1 running worker, found ${module.tfjs.getThreadsCount()} ` +
        `threads and ${workers.length} workers.`,
    );
  }
  const pthread = workers[0].pthread_ptr;
  const heap = () => new Uint32Array(module.wasmMemory.buffer);
  const u32 = heap();
  let pool = -1;
  // thread_info structs are 64-byte aligned; look at the thread_object word of each candidate.
  for (let at = THREAD_OBJECT; at < u32.byteLength; at += THREAD_INFO_SIZE) {
    const info = at - THREAD_OBJECT;
    const candidate = info - POOL_THREADS - THREAD_INFO_SIZE;
    if (
      u32[at / 4] === pthread &&
      u32[(info + THREAD_NUMBER) / 4] === 1 &&
      u32[(info + THREAD_POOL) / 4] === candidate &&
      u32[(candidate + POOL_THREADS_COUNT) / 4] === 2 &&
      u32[(candidate + POOL_THREADS + THREAD_POOL) / 4] === candidate
    ) {
      pool = candidate;
      break;
    }
  }
  if (pool < 0) {
    throw new Error(
      `thread-pool-probe: no pthreadpool thread_info in the wasm heap names worker pthread ${pthread}; ` +
        'the tfjs-backend-wasm build has another pthreadpool layout (see the offsets at the top of this file).',
    );
  }
  const field = (thread: number, offset: number) => (pool + POOL_THREADS + thread * THREAD_INFO_SIZE + offset) / 4;
  return {
    forgetLastLoop() {
      const words = heap();
      for (const thread of [0, 1]) words.fill(0, field(thread, RANGE_START), field(thread, THREAD_NUMBER));
    },
    lastLoop() {
      const words = heap();
      const callerShare = words[field(1, RANGE_START)];
      return {
        dispatched: callerShare > 0,
        callerShare,
        byWorker: words[field(1, RANGE_END)] - words[field(0, RANGE_END)],
      };
    },
  };
}
