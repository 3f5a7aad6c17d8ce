/**
 * Dates as a sentence writes them, at the precision written: "On March 25" is a DAY (its year
 * from the publication date), "In February 2023" a MONTH, "in 2004" a YEAR, "since early 2017"
 * a RANGE. chrono-node reads the calendar expressions (month names, days); bare years and
 * "early/mid/late YEAR", which chrono does not take for dates, are read here.
 */
import * as en from 'chrono-node/en';
import type { PartialDateInput } from '../ingest/document';

export interface DateMention {
  /** UTF-16 span in the whole text. */
  start: number;
  end: number;
  date: PartialDateInput;
  /** Whether the date begins or ends what the sentence states ("since", "in" vs "until"). */
  bound: 'start' | 'end';
  /** The end of a span written as one ("from 9 to 20 June 2025"). */
  until?: PartialDateInput;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Parts of a year that a release writes: "early 2017" is January to April. */
const PART_OF_YEAR: Record<string, [string, string]> = {
  early: ['01-01', '04-30'],
  'the beginning of': ['01-01', '04-30'],
  'the start of': ['01-01', '04-30'],
  mid: ['05-01', '08-31'],
  'the middle of': ['05-01', '08-31'],
  late: ['09-01', '12-31'],
  'the end of': ['09-01', '12-31'],
  spring: ['03-01', '05-31'],
  summer: ['06-01', '08-31'],
  autumn: ['09-01', '11-30'],
  fall: ['09-01', '11-30'],
};

/**
 * English only, and only the parsers of calendar dates ("25 March", "March 25", "February 2023",
 * "9 to 20 June 2025", ISO days): the casual ones ("now", "in 3 days", times of day) say nothing
 * a fact's date needs, and running them on every sentence was most of the extraction's time.
 */
const calendarParser = en.casual.clone();
calendarParser.parsers = calendarParser.parsers.filter((p) => /MonthName|ISOFormat/u.test(p.constructor.name));

const MONTH_NAME = /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/iu;
const YEAR = /\b(?:(early|mid|late|the beginning of|the start of|the middle of|the end of|spring|summer|autumn|fall)(?:\s+of)?[\s-]+)?((?:19|20)\d{2})\b/giu;
const END_WORDS = /\b(?:until|till|through|ended|ending)\s+(?:the\s+)?$/iu;

function boundOf(sentence: string, at: number): 'start' | 'end' {
  return END_WORDS.test(sentence.slice(Math.max(0, at - 20), at)) ? 'end' : 'start';
}

/** Every date in a sentence, left to right. `offset` is the sentence's index in the text. */
export function findDates(sentence: string, offset: number, published: Date): DateMention[] {
  const found: DateMention[] = [];
  // chrono runs every parser it has on what it is given: only sentences that name a month need it.
  const calendar = MONTH_NAME.test(sentence) ? calendarParser.parse(sentence, published, { forwardDate: false }) : [];
  for (const result of calendar) {
    const start = result.start;
    // Only calendar expressions with a month: chrono's casual words ("now", "today") are not dates of a fact.
    if (!start.isCertain('month')) continue;
    const year = start.get('year') as number;
    const month = start.get('month') as number;
    const day = start.get('day') as number;
    const text = result.text.replace(/^(?:on|in|since|from|by)\s+/iu, '');
    const date: PartialDateInput = start.isCertain('day')
      ? { text, value: `${year}-${pad(month)}-${pad(day)}`, precision: 'DAY' }
      : { text, value: `${year}-${pad(month)}`, precision: 'MONTH' };
    const at = result.index + result.text.length - text.length;
    const last = result.end;
    const until: PartialDateInput | undefined =
      last && last.isCertain('day')
        ? { text: `${last.get('day')} ${MONTHS[(last.get('month') as number) - 1]} ${last.get('year')}`, value: `${last.get('year')}-${pad(last.get('month') as number)}-${pad(last.get('day') as number)}`, precision: 'DAY' }
        : undefined;
    if (until && date.precision === 'DAY') {
      // "9 to 20 June 2025": the start is written without its month and year.
      date.text = `${day} ${MONTHS[month - 1]} ${year}`;
    }
    found.push({ start: offset + at, end: offset + result.index + result.text.length, date, bound: boundOf(sentence, at), ...(until ? { until } : {}) });
  }
  for (const match of sentence.matchAll(YEAR)) {
    const at = match.index;
    if (found.some((d) => offset + at < d.end && offset + at + match[0].length > d.start)) continue;
    const [text, part, year] = match as unknown as [string, string | undefined, string];
    const span = part ? PART_OF_YEAR[part.toLowerCase()] : undefined;
    const date: PartialDateInput = span
      ? { text, value: year, precision: 'RANGE', earliest: `${year}-${span[0]}`, latest: `${year}-${span[1]}` }
      : { text, value: year, precision: 'YEAR' };
    found.push({ start: offset + at, end: offset + at + text.length, date, bound: boundOf(sentence, at) });
  }
  return found.sort((a, b) => a.start - b.start);
}
