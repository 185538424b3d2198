/**
 * The contention bench deals the facilities it admits into between its rounds so that each
 * round meets about as many free beds: a round of admissions costs more work than a round of
 * refusals, and the rounds are compared with each other.
 */
import { describe, expect, it } from '@jest/globals';
import { dealEvenly } from '../../scripts/bench/scenarios.js';

const totals = (hands: { free: number }[][]) => hands.map((h) => h.reduce((s, f) => s + f.free, 0));

describe('dealEvenly', () => {
  it('gives every hand as many facilities, and free beds far more even than dealing in turn', () => {
    const free = [265, 120, 110, 60, 40, 30, 12, 9, 5].map((n, i) => ({ id: `F${i}`, free: n }));
    const hands = dealEvenly(free, 3);
    expect(hands.map((h) => h.length)).toEqual([3, 3, 3]);
    expect(hands.flat().map((f) => f.id).sort()).toEqual(free.map((f) => f.id).sort());
    // Dealt in turn (i mod 3) they would be 337, 169 and 145. Evenly, the first facility's hand
    // gets the smallest others.
    expect(totals(hands)).toEqual([279, 190, 182]);
  });

  it('leaves out what does not fill every hand, the fewest free beds first', () => {
    const hands = dealEvenly([{ free: 1 }, { free: 9 }, { free: 5 }, { free: 7 }], 3);
    expect(hands.map((h) => h.map((f) => f.free))).toEqual([[9], [7], [5]]);
  });
});
