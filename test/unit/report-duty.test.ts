/** The 07:00 duty's rules, pure: on time up to the deadline itself, late by whole minutes after it, missing only once it has passed. */
import { describe, expect, it } from '@jest/globals';
import { dutyStatus, minutesLate } from '../../subgraphs/patients/domain/report-duty.js';
import { cutoffOf } from '../../subgraphs/common/report-cutoff.js';

describe('report duty', () => {
  // The report of 13 Jan 2022 is due at 07:00 (Hà Nội) on 14 Jan, 00:00 UTC.
  const deadline = cutoffOf('2022-01-13');
  const at = (iso: string) => new Date(iso);

  it('is due at 07:00 Hà Nội the morning after the day', () => {
    expect(deadline.toISOString()).toBe('2022-01-14T00:00:00.000Z');
  });

  it('counts whole minutes late, started minutes included; at the deadline itself it is on time', () => {
    expect(minutesLate(deadline, at('2022-01-14T06:59:00+07:00'))).toBe(0);
    expect(minutesLate(deadline, at('2022-01-14T07:00:00+07:00'))).toBe(0);
    expect(minutesLate(deadline, at('2022-01-14T07:00:01+07:00'))).toBe(1);
    expect(minutesLate(deadline, at('2022-01-14T09:30:00+07:00'))).toBe(150);
  });

  it('sorts wards into on time, late, and missing or pending depending on whether the deadline has passed', () => {
    const wards = ['00337', '00340', '00343', '00346'];
    const submissions = [
      { wardCode: '00337', submittedAt: at('2022-01-14T06:45:00+07:00') },
      { wardCode: '00340', submittedAt: at('2022-01-14T08:10:00+07:00') },
    ];
    expect(dutyStatus(deadline, wards, submissions, at('2022-01-14T10:00:00+07:00'))).toEqual({
      wards: 4,
      onTime: ['00337'],
      late: [{ wardCode: '00340', minutesLate: 70 }],
      missing: ['00343', '00346'],
      pending: [],
    });
    expect(dutyStatus(deadline, wards, submissions.slice(0, 1), at('2022-01-14T06:50:00+07:00'))).toEqual({
      wards: 4,
      onTime: ['00337'],
      late: [],
      missing: [],
      pending: ['00340', '00343', '00346'],
    });
  });
});
