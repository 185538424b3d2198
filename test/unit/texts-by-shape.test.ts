/** SQL text made once per shape: built on first use, kept, and told apart by every argument. */
import { describe, expect, it } from '@jest/globals';
import { textsByShape } from '../../subgraphs/common/db/database.js';

describe('textsByShape', () => {
  it('builds a shape once, and tells shapes apart by every argument', () => {
    const built: string[] = [];
    const text = textsByShape((area: string, codes: number) => {
      built.push(`${area}/${codes}`);
      return `select ${area} from t where c in (${Array.from({ length: codes }, (_, i) => `$${i + 1}`).join(', ')})`;
    });
    expect(text('district_code', 2)).toBe('select district_code from t where c in ($1, $2)');
    expect(text('district_code', 2)).toBe('select district_code from t where c in ($1, $2)');
    expect(text('district_code', 3)).toBe('select district_code from t where c in ($1, $2, $3)');
    expect(text('ward_code', 2)).toBe('select ward_code from t where c in ($1, $2)');
    // Arguments that would run together as one string stay apart.
    const joined = textsByShape((a: string, b: string) => `${a}|${b}`);
    expect([joined('ab', 'c'), joined('a', 'bc')]).toEqual(['ab|c', 'a|bc']);
    expect(built).toEqual(['district_code/2', 'district_code/3', 'ward_code/2']);
  });

  it('keeps at most its limit of texts, starting over past it', () => {
    let builds = 0;
    const text = textsByShape((n: number) => `t${n} ${++builds}`, 2);
    expect([text(1), text(2), text(1)]).toEqual(['t1 1', 't2 2', 't1 1']);
    // A third shape clears the two kept: the first is built again.
    expect(text(3)).toBe('t3 3');
    expect(text(1)).toBe('t1 4');
  });
});
