import { describe, expect, it } from 'vitest';
import { SavedRun } from '../src/training/saved-run';

describe('saved run', () => {
  it('resumes a run on "My images" only with the same classes in the same order, saying which', () => {
    expect(() => SavedRun.checkClasses(['cat', 'dog'], ['cat', 'dog'])).not.toThrow();
    expect(() => SavedRun.checkClasses(['cat', 'dog'], ['dog', 'cat'])).toThrow(/trained on the classes cat, dog; "My images" now has dog, cat/);
    expect(() => SavedRun.checkClasses(['cat', 'dog'], [])).toThrow(/now has no images/);
  });
});
