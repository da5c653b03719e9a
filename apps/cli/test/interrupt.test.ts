import { afterEach, describe, expect, it, vi } from 'vitest';
import { exitCodeOf, interruptOnSignals } from '../src/commands/interrupt';

afterEach(() => vi.restoreAllMocks());

describe('training signals', () => {
  it('the first SIGTERM or SIGINT aborts the run (checkpoint, exit 128 + signal); a second one exits at once', () => {
    for (const [first, second] of [['SIGTERM', 'SIGINT'], ['SIGINT', 'SIGINT']] as const) {
      const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const interrupt = interruptOnSignals();
      process.emit(first);
      expect(interrupt.signal.aborted).toBe(true);
      expect(interrupt.received()).toBe(first);
      expect(exit).not.toHaveBeenCalled();
      process.emit(second);
      expect(exit).toHaveBeenCalledWith(exitCodeOf(first));
      interrupt.release();
      vi.restoreAllMocks();
    }
    expect([exitCodeOf('SIGINT'), exitCodeOf('SIGTERM')]).toEqual([130, 143]);
  });

  it('stops listening once released', () => {
    const before = process.listenerCount('SIGTERM');
    interruptOnSignals().release();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
