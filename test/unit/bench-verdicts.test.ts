/** A benchmark verdict read alone says when answers failed: the rates count only those that passed. */
import { describe, expect, it } from '@jest/globals';
import { failedClause } from '../../scripts/bench/scenarios.js';

describe('failedClause', () => {
  it('adds nothing when every answer passed', () => {
    expect(failedClause(0)).toBe('');
  });

  it('says how many failed and that the figures leave them out', () => {
    expect(failedClause(1234)).toBe(' 1,234 answers failed (errors, a wrong body or no answer); the figures count only the others.');
  });
});
