/**
 * Partial dates: a date known to a year, a month, a day, or a bounded range ("early 2017").
 * Each one spans [earliest, latest], its first and last possible day.
 */
import type { PartialDateInput } from './document';

export interface PartialDate {
  text: string;
  value: string;
  precision: PartialDateInput['precision'];
  earliest: string;
  latest: string;
}

function isRealDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The span a value of a given precision covers, or a reason it is not well-formed. */
export function spanOf(value: string, precision: 'DAY' | 'MONTH' | 'YEAR'): { earliest: string; latest: string } | string {
  const expected = { YEAR: 4, MONTH: 7, DAY: 10 }[precision];
  if (value.length !== expected) return `a ${precision} date must look like ${{ YEAR: 'YYYY', MONTH: 'YYYY-MM', DAY: 'YYYY-MM-DD' }[precision]}`;
  if (precision === 'YEAR') return { earliest: `${value}-01-01`, latest: `${value}-12-31` };
  if (precision === 'MONTH') {
    const [year, month] = value.split('-').map(Number) as [number, number];
    if (month < 1 || month > 12) return 'the month must be 01 to 12';
    return { earliest: `${value}-01`, latest: `${value}-${String(lastDayOfMonth(year, month)).padStart(2, '0')}` };
  }
  if (!isRealDay(value)) return 'is not a day of the calendar';
  return { earliest: value, latest: value };
}

/** Completes a partial date, or returns the problems with it (field name -> message). */
export function completeDate(input: PartialDateInput): PartialDate | Array<{ field: string; value: unknown; message: string }> {
  const problems: Array<{ field: string; value: unknown; message: string }> = [];
  if (input.precision === 'RANGE') {
    if (!input.earliest) problems.push({ field: 'earliest', value: input.earliest, message: 'is required when precision is RANGE' });
    if (!input.latest) problems.push({ field: 'latest', value: input.latest, message: 'is required when precision is RANGE' });
    for (const field of ['earliest', 'latest'] as const) {
      const day = input[field];
      if (day && !isRealDay(day)) problems.push({ field, value: day, message: 'is not a day of the calendar' });
    }
    if (problems.length > 0) return problems;
    const earliest = input.earliest as string;
    const latest = input.latest as string;
    if (earliest > latest) problems.push({ field: 'earliest', value: earliest, message: `is after latest (${latest})` });
    if (!earliest.startsWith(input.value.slice(0, 4)) && !latest.startsWith(input.value.slice(0, 4))) {
      problems.push({ field: 'value', value: input.value, message: `lies outside the range ${earliest}..${latest}` });
    }
    return problems.length > 0 ? problems : { ...input, earliest, latest };
  }
  const span = spanOf(input.value, input.precision);
  if (typeof span === 'string') return [{ field: 'value', value: input.value, message: span }];
  for (const field of ['earliest', 'latest'] as const) {
    const given = input[field];
    if (given !== undefined && given !== span[field]) {
      problems.push({ field, value: given, message: `must be ${span[field]} for ${input.precision} ${input.value} (or be left out)` });
    }
  }
  return problems.length > 0 ? problems : { ...input, ...span };
}
