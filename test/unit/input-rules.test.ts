/** The platform's input rules on their own: dates, cursors, text limits and NUL detection. */
import { describe, expect, it } from '@jest/globals';
import { DateScalar, parseDateTime } from '../../subgraphs/common/graphql/scalars.js';
import { decodeCursor, encodeCursor } from '../../subgraphs/common/graphql/pagination.js';
import { Problems, ValidationError } from '../../subgraphs/common/domain/errors.js';
import { TEXT_LIMITS, checkText, containsNul, normalizeVietnamesePhone } from '../../subgraphs/common/domain/input-rules.js';
import { nulInputRefusal } from '../../subgraphs/common/graphql/input-guard.js';
import { parse } from 'graphql';

const code = (work: () => unknown) => {
  try {
    work();
    return 'accepted';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code ?? 'thrown';
  }
};

describe('input rules', () => {
  it('DateTime refuses dates JavaScript would roll over, impossible times and years outside 1900..2100', () => {
    expect(parseDateTime('2022-01-13T07:00:00+07:00').toISOString()).toBe('2022-01-13T00:00:00.000Z');
    expect(parseDateTime('2024-02-29T23:59:59.123Z').toISOString()).toBe('2024-02-29T23:59:59.123Z');
    for (const bad of ['2022-02-30T09:00:00+07:00', '2023-02-29T09:00:00Z', '2022-01-10T24:00:00Z', '2022-01-10T10:60:00Z', '2022-01-10T10:00:61Z', '2022-01-10T10:00:00+15:00', '9999-01-01T00:00:00Z', '1899-12-31T23:59:59Z', '2022-01-10T10:00:00']) {
      expect({ bad, result: code(() => parseDateTime(bad)) }).toEqual({ bad, result: 'BAD_USER_INPUT' });
    }
  });

  it('Date refuses impossible dates and years outside 1900..2100 on input, but still serializes stored dates', () => {
    expect(DateScalar.parseValue('2100-12-31')).toBe('2100-12-31');
    for (const bad of ['2026-02-30', '0100-01-01', '9999-12-31', '1899-12-31', '2022-1-1', 20220101]) {
      expect({ bad, result: code(() => DateScalar.parseValue(bad)) }).toEqual({ bad, result: 'BAD_USER_INPUT' });
    }
    expect(DateScalar.serialize('1890-05-01')).toBe('1890-05-01');
  });

  it('decodeCursor accepts its own cursors and refuses crafted ones as BAD_USER_INPUT', () => {
    const key = ['2022-01-13T00:00:00.000Z', '0f0f0f0f-0000-4000-8000-000000000000'];
    expect(decodeCursor(encodeCursor(key), ['timestamp', 'uuid'])).toEqual(key);
    expect(decodeCursor(encodeCursor(['R-1']), 1)).toEqual(['R-1']);
    const crafted: [string, Parameters<typeof decodeCursor>[1]][] = [
      [encodeCursor(['R-\u0000']), 1],
      [encodeCursor(['x'.repeat(301)]), ['string']],
      [encodeCursor(['yesterday', key[1]!]), ['timestamp', 'uuid']],
      [encodeCursor(['+275760-09-13T00:00:00.000Z', key[1]!]), ['timestamp', 'uuid']],
      [encodeCursor([key[0]!, 'not-a-uuid']), ['timestamp', 'uuid']],
      [encodeCursor([1e400 as number]), 1],
      ['%%%', 1],
      ['A'.repeat(2_000), 1],
    ];
    for (const [cursor, shape] of crafted) expect({ cursor: cursor.slice(0, 40), result: code(() => decodeCursor(cursor, shape)) }).toEqual({ cursor: cursor.slice(0, 40), result: 'BAD_USER_INPUT' });
  });

  it('checkText trims and bounds text with the field path; containsNul looks everywhere', () => {
    const problems = new Problems();
    expect(checkText(problems, '  Tổ 1  ', ['input', 'name'], 'name', { min: 2, max: TEXT_LIMITS.LABEL })).toBe('Tổ 1');
    checkText(problems, 'x'.repeat(TEXT_LIMITS.LABEL + 1), ['input', 'name'], 'name', { min: 2, max: TEXT_LIMITS.LABEL });
    expect(() => problems.throwIfAny()).toThrow(ValidationError);
    expect(containsNul({ input: { list: ['a', { deep: 'b\u0000' }] } })).toBe(true);
    expect(containsNul({ input: { list: ['a', { deep: 'b' }], n: 1 } })).toBe(false);
    expect(normalizeVietnamesePhone('0912 345 678')).toBe('+84912345678');
    expect(normalizeVietnamesePhone(`0912345678${' '.repeat(100)}`)).toBeUndefined();
  });
});

describe('NUL characters in a document', () => {
  it('refuses a string literal with a NUL every time its document is used, and only that document', () => {
    const withNul = parse('{ facility(id: "a\\u0000b") { id } }');
    const clean = parse('{ facility(id: "ab") { id } }');
    // Asked twice each: a document's answer is kept after its first visit, and stays right.
    for (let i = 0; i < 2; i++) {
      expect(nulInputRefusal({}, withNul)?.extensions.code).toBe('BAD_USER_INPUT');
      expect(nulInputRefusal({}, clean)).toBeUndefined();
      expect(nulInputRefusal({ id: 'a\u0000' }, clean)?.extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});
