/**
 * Belvo's employment records are read one by one and field by field: a record, a line or a field of
 * the wrong shape is marked and counted by the summary, never a reason to fail the whole report.
 */
import { describe, expect, it } from 'vitest';
import {
  ReadableEmploymentSchema as EmploymentSchema,
  isUnreadableRecord,
  ReadableReportSchema,
  UNREADABLE_STATUS,
} from '../src/relay-contract.js';

describe('reading Belvo’s employment records', () => {
  it('keeps a report readable when one record is not an object', () => {
    const parsed = ReadableReportSchema.shape.employments.parse([
      'not a record',
      { id: 'e1', employer_data: { name: 'Andina', id_number: 900100100 }, salary_and_benefit_details: [] },
    ]);
    expect(parsed.map(isUnreadableRecord)).toEqual([true, false]);
    expect(parsed[1]?.employer_data?.name).toBe('Andina');
  });

  it('reads a null line as null, and a list that is not a list as one unreadable line', () => {
    const withNullLine = EmploymentSchema.parse({
      id: 'e1',
      salary_and_benefit_details: [null, { month: '2026-09', gross_amount: 2_000_000 }],
    });
    expect(withNullLine.salary_and_benefit_details).toEqual([
      null,
      { month: '2026-09', gross_amount: 2_000_000 },
    ]);
    const notAList = EmploymentSchema.parse({ id: 'e2', salary_and_benefit_details: 'oops' });
    expect(notAList.salary_and_benefit_details).toEqual([null]);
  });

  it.each([
    ['a number as text', '2000000'],
    ['an object', { value: 2_000_000 }],
    ['a boolean', true],
  ])('reads a gross amount given as %s as missing (null), never as zero', (_what, amount) => {
    const parsed = EmploymentSchema.parse({
      id: 'e1',
      salary_and_benefit_details: [{ month: '2026-09', gross_amount: amount }],
    });
    expect(parsed.salary_and_benefit_details?.[0]?.gross_amount).toBeNull();
  });

  it('reads status changes that are not strings as an unreadable novelty, never as none', () => {
    const parsed = EmploymentSchema.parse({
      id: 'e1',
      salary_and_benefit_details: [
        { month: '2026-09', status_changes: ['ON_LEAVE', 7] },
        { month: '2026-10', status_changes: 'ON_LEAVE' },
      ],
    });
    expect(parsed.salary_and_benefit_details?.map((line) => line?.status_changes)).toEqual([
      ['ON_LEAVE', UNREADABLE_STATUS],
      [UNREADABLE_STATUS],
    ]);
  });

  it('keeps fields it does not type, as Belvo sent them', () => {
    const parsed = EmploymentSchema.parse({ id: 'e1', report_date: '2026-11-20', extra: { a: 1 } });
    expect(parsed.report_date).toBe('2026-11-20');
    expect(parsed.extra).toEqual({ a: 1 });
  });
});
