/**
 * The derivation rule (src/claims.ts), without a database: which claim decides, how dates are
 * refined, domains joined and contradictions reported, and what was known on a given day.
 */
import { corroboration, deriveView, knownSteps, viewKnownOn, type Claim, type ClaimDate } from '../../src/claims';

function month(value: string): ClaimDate {
  const [y, m] = value.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { text: value, value, precision: 'MONTH', earliest: `${value}-01`, latest: `${value}-${String(last).padStart(2, '0')}` };
}
const year = (value: string): ClaimDate => ({ text: value, value, precision: 'YEAR', earliest: `${value}-01-01`, latest: `${value}-12-31` });
const day = (value: string): ClaimDate => ({ text: value, value, precision: 'DAY', earliest: value, latest: value });

function claim(source: string, published: string, rest: Partial<Claim> = {}): Claim {
  return { source, publisher: `${source} publisher`, published, status: 'ACTIVE', title: null, domains: [], note: null, start: null, end: null, ...rest };
}

const seed = claim('seed', '2024-03-25', { status: 'PLANNED', domains: ['CYBER', 'RESILIENCE'], note: 'plans joining' });
const followUp = claim('follow-up', '2024-06-14', { status: 'ACTIVE', domains: ['RESILIENCE'], start: month('2024-05') });

describe('deriveView', () => {
  it('lets the most recently published source decide status and dates: a plan reported as done', () => {
    const view = deriveView([seed, followUp]);
    expect(view).toMatchObject({ status: 'ACTIVE', start: month('2024-05'), inForceFrom: '2024-05-31', firstStated: '2024-03-25', decidedBy: 'follow-up', conflicts: [] });
  });

  it('does not depend on the order of the claims', () => {
    expect(deriveView([followUp, seed])).toEqual(deriveView([seed, followUp]));
  });

  it('joins the domains of every claim', () => {
    expect(deriveView([seed, followUp]).domains).toEqual(['CYBER', 'RESILIENCE']);
  });

  it('refines a date with a more precise one of another source that does not contradict it', () => {
    const older = claim('older', '2019-03-29', { start: day('2004-03-29') });
    const newer = claim('newer', '2024-03-25', { start: year('2004') });
    expect(deriveView([older, newer]).start).toEqual(day('2004-03-29'));
    // A date outside the deciding claim's span contradicts it, and is not taken.
    const wrong = claim('wrong', '2019-03-29', { start: day('2003-03-29') });
    expect(deriveView([wrong, newer]).start).toEqual(year('2004'));
  });

  it('fills a date the deciding claim does not give from a claim of the same status, but not from a plan', () => {
    const dated = claim('dated', '2020-01-01', { start: year('2017') });
    const undated = claim('undated', '2024-03-25');
    expect(deriveView([dated, undated]).start).toEqual(year('2017'));
    const planned = claim('planned', '2020-01-01', { status: 'PLANNED', start: year('2025') });
    expect(deriveView([planned, undated]).start).toBeNull();
  });

  it('reports contradicting claims of equally recent sources, showing the first by source id', () => {
    const a = claim('a-source', '2024-06-14', { status: 'ACTIVE' });
    const b = claim('b-source', '2024-06-14', { status: 'ENDED', end: month('2024-05') });
    const view = deriveView([b, a]);
    expect(view.status).toBe('ACTIVE');
    expect(view.decidedBy).toBe('a-source');
    expect(view.conflicts).toEqual([{ field: 'status', sources: ['a-source', 'b-source'], values: ['ACTIVE', 'ENDED'] }]);
  });

  it('reports dates of equally recent sources that cannot both hold, and not those that can', () => {
    const a = claim('a', '2024-06-14', { start: year('2004') });
    const b = claim('b', '2024-06-14', { start: day('2004-03-29') });
    const c = claim('c', '2024-06-14', { start: year('2005') });
    expect(deriveView([a, b]).conflicts).toEqual([]);
    expect(deriveView([a, c]).conflicts).toEqual([{ field: 'start', sources: ['a', 'c'], values: ['2004 (2004-01-01..2004-12-31)', '2005 (2005-01-01..2005-12-31)'] }]);
  });

  it('does not report a contradiction with an older source: that is history', () => {
    expect(deriveView([seed, followUp]).conflicts).toEqual([]);
  });

  it('refuses to derive a view from no claim', () => {
    expect(() => deriveView([])).toThrow('A fact needs at least one claim to derive its view from');
  });
});

describe('what was known when', () => {
  it('has one step per publication day, each from the claims published by then', () => {
    const steps = knownSteps([followUp, seed]);
    expect(steps.map((s) => [s.knownFrom, s.view.status, s.view.inForceFrom])).toEqual([
      ['2024-03-25', 'PLANNED', '2024-03-25'],
      ['2024-06-14', 'ACTIVE', '2024-05-31'],
    ]);
  });

  it('answers PLANNED on 2024-04-01, ACTIVE once the follow-up is out, and nothing before any source', () => {
    expect(viewKnownOn([seed, followUp], '2024-04-01')?.status).toBe('PLANNED');
    expect(viewKnownOn([seed, followUp], '2024-06-14')?.status).toBe('ACTIVE');
    expect(viewKnownOn([seed, followUp], '2024-03-24')).toBeNull();
  });
});

describe('corroboration', () => {
  it('counts distinct sources and distinct publishers', () => {
    const samePublisher = { ...claim('other', '2024-07-01'), publisher: seed.publisher };
    expect(corroboration([seed, followUp, samePublisher])).toEqual({ sources: 3, publishers: 2 });
  });
});
