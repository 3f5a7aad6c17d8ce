/**
 * The pure parts of the analyst API, without a database: shaping partner rows into partnerships,
 * the network's degrees and weights, paths' directions, the timeline's order and window, the
 * argument checks and cursors, and the Lucene query built from a search text.
 */
import type { LinkRow, NetworkRow, PathRow } from '../../src/db/analysis';
import { fold, luceneQuery } from '../../src/db/entities';
import type { FactRecord, PartialDateRecord } from '../../src/db/records';
import type { Precision } from '../../src/ontology';
import { buildNetwork, groupPartnerships, partnershipSince, timelineEntries, toPaths } from '../../src/resolvers/analysis';
import { checkId, checkRange, checkSearchText, day, decodeCursor, encodeCursor, LIMITS } from '../../src/resolvers/args';
import { AppError } from '../../src/errors';

function date(text: string, value: string, precision: Precision, earliest: string, latest: string): PartialDateRecord {
  return { text, value, precision, earliest, latest };
}

const Y2004 = date('2004', '2004', 'YEAR', '2004-01-01', '2004-12-31');
const EARLY_2017 = date('early 2017', '2017', 'RANGE', '2017-01-01', '2017-04-30');
const FEB_2023 = date('February 2023', '2023-02', 'MONTH', '2023-02-01', '2023-02-28');
const Y2023 = date('2023', '2023', 'YEAR', '2023-01-01', '2023-12-31');
const PUBLISHED = '2024-03-25';

function fact(id: string, over: Partial<FactRecord> = {}): FactRecord {
  const start = over.start ?? null;
  return {
    id,
    type: 'PARTICIPATES_IN',
    subject: 's',
    object: 'o',
    role: null,
    title: null,
    status: 'ACTIVE',
    domains: [],
    note: null,
    start,
    end: null,
    inForceFrom: start ? start.latest : PUBLISHED,
    inForceUntil: null,
    ...over,
  };
}

function factMap(...facts: FactRecord[]): Map<string, FactRecord> {
  return new Map(facts.map((f) => [f.id, f]));
}

/** The error a function throws (fails the test when it throws none). */
function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an error, got none');
}

describe('groupPartnerships', () => {
  const facts = factMap(
    fact('f:coop'),
    fact('f:lt-nato', { start: Y2004 }),
    fact('f:be-nato'),
    fact('f:lt-crrt', { start: Y2023 }),
    fact('f:be-crrt', { start: FEB_2023 }),
    fact('f:be-efp', { start: EARLY_2017 }),
    fact('f:de-efp', { start: EARLY_2017 }),
  );

  it('gives each partner once, drops repeated rows, and keeps each distinct link', () => {
    const rows: LinkRow[] = [
      { partner: 'belgium', kind: 'SHARED_ORGANISATION', through: 'nato', factIds: ['f:lt-nato', 'f:be-nato'] },
      { partner: 'belgium', kind: 'DIRECT', through: null, factIds: ['f:coop'] },
      { partner: 'belgium', kind: 'SHARED_ORGANISATION', through: 'nato', factIds: ['f:lt-nato', 'f:be-nato'] }, // repeated
      { partner: 'belgium', kind: 'SHARED_INITIATIVE', through: 'crrts', factIds: ['f:lt-crrt', 'f:be-crrt'] },
      { partner: 'belgium', kind: 'DIRECT', through: null, factIds: ['f:coop'] }, // repeated
    ];
    const result = groupPartnerships(rows, facts);
    expect(result).toHaveLength(1);
    const [belgium] = result;
    expect(belgium?.partner).toBe('belgium');
    // Sorted by kind, then by the shared entity's id.
    expect(belgium?.links).toEqual([
      { kind: 'DIRECT', through: null, factIds: ['f:coop'] },
      { kind: 'SHARED_INITIATIVE', through: 'crrts', factIds: ['f:lt-crrt', 'f:be-crrt'] },
      { kind: 'SHARED_ORGANISATION', through: 'nato', factIds: ['f:lt-nato', 'f:be-nato'] },
    ]);
    // Each fact of the links once.
    expect(belgium?.facts.map((f) => f.id).sort()).toEqual(['f:be-crrt', 'f:be-nato', 'f:coop', 'f:lt-crrt', 'f:lt-nato']);
  });

  it('keeps two links through the same entity when their facts differ, and a fact shared by links once', () => {
    const rows: LinkRow[] = [
      { partner: 'germany', kind: 'SHARED_UNIT', through: 'efp', factIds: ['f:be-efp', 'f:de-efp'] },
      { partner: 'germany', kind: 'SHARED_UNIT', through: 'efp', factIds: ['f:be-efp', 'f:lt-nato'] },
    ];
    const [germany] = groupPartnerships(rows, facts);
    expect(germany?.links).toHaveLength(2);
    expect(germany?.facts.map((f) => f.id).sort()).toEqual(['f:be-efp', 'f:de-efp', 'f:lt-nato']);
  });

  it('puts the partners with most links first, then orders by id', () => {
    const rows: LinkRow[] = [
      { partner: 'norway', kind: 'SHARED_UNIT', through: 'efp', factIds: ['f:be-efp', 'f:de-efp'] },
      { partner: 'czechia', kind: 'SHARED_UNIT', through: 'efp', factIds: ['f:be-efp', 'f:de-efp'] },
      { partner: 'lithuania', kind: 'DIRECT', through: null, factIds: ['f:coop'] },
      { partner: 'lithuania', kind: 'SHARED_ORGANISATION', through: 'nato', factIds: ['f:lt-nato', 'f:be-nato'] },
      { partner: 'germany', kind: 'SHARED_UNIT', through: 'efp', factIds: ['f:be-efp', 'f:de-efp'] },
    ];
    expect(groupPartnerships(rows, facts).map((p) => p.partner)).toEqual(['lithuania', 'czechia', 'germany', 'norway']);
  });

  it('leaves out facts the loader did not find', () => {
    const [p] = groupPartnerships([{ partner: 'x', kind: 'DIRECT', through: null, factIds: ['f:coop', 'f:missing'] }], facts);
    expect(p?.facts.map((f) => f.id)).toEqual(['f:coop']);
    expect(p?.links[0]?.factIds).toEqual(['f:coop', 'f:missing']);
  });

  it('returns no partnership for no rows', () => {
    expect(groupPartnerships([], facts)).toEqual([]);
  });
});

describe('partnershipSince', () => {
  const ltNato = fact('f:lt-nato', { start: Y2004 }); // in force from 2004-12-31
  const beNato = fact('f:be-nato'); // undated: from the publication, 2024-03-25
  const ltCrrt = fact('f:lt-crrt', { start: Y2023 }); // from 2023-12-31
  const beCrrt = fact('f:be-crrt', { start: FEB_2023 }); // from 2023-02-28
  const beEfp = fact('f:be-efp', { start: EARLY_2017 }); // from 2017-04-30
  const deEfp = fact('f:de-efp', { start: EARLY_2017 });
  const coop = fact('f:coop'); // undated
  const facts = factMap(ltNato, beNato, ltCrrt, beCrrt, beEfp, deEfp, coop);

  function since(links: Array<{ kind?: LinkRow['kind']; through?: string | null; factIds: string[] }>) {
    const model = {
      partner: 'p',
      links: links.map((l) => ({ kind: l.kind ?? ('SHARED_INITIATIVE' as const), through: l.through ?? 'z', factIds: l.factIds })),
      facts: [],
    };
    return partnershipSince(model, facts);
  }

  it('holds a link from the later of its facts, and the partnership from its earliest link', () => {
    // NATO link: later of 2004-12-31 and 2024-03-25 = 2024-03-25 (undated). CRRT link: later of
    // 2023-12-31 and 2023-02-28 = 2023-12-31 ("2023"). Earliest link: CRRT.
    const result = since([
      { kind: 'SHARED_ORGANISATION', through: 'nato', factIds: ['f:lt-nato', 'f:be-nato'] },
      { kind: 'SHARED_INITIATIVE', through: 'crrts', factIds: ['f:lt-crrt', 'f:be-crrt'] },
      { kind: 'DIRECT', through: null, factIds: ['f:coop'] },
    ]);
    expect(result).toEqual({ since: Y2023, inForceFrom: '2023-12-31' });
  });

  it('does not take the earliest single fact: a link is only as old as its younger side', () => {
    // Lithuania is in NATO since 2004, but Belgium's membership is undated, so the NATO link dates
    // from the publication, not 2004.
    expect(since([{ factIds: ['f:lt-nato', 'f:be-nato'] }])).toEqual({ since: null, inForceFrom: PUBLISHED });
    expect(since([{ factIds: ['f:be-nato', 'f:lt-nato'] }])).toEqual({ since: null, inForceFrom: PUBLISHED });
  });

  it('picks an earlier dated link over a later one, whatever their order', () => {
    const efp = { kind: 'SHARED_UNIT' as const, through: 'efp', factIds: ['f:be-efp', 'f:de-efp'] };
    const crrt = { factIds: ['f:lt-crrt', 'f:be-crrt'] };
    expect(since([crrt, efp])).toEqual({ since: EARLY_2017, inForceFrom: '2017-04-30' });
    expect(since([efp, crrt])).toEqual({ since: EARLY_2017, inForceFrom: '2017-04-30' });
  });

  it('gives a null start but a first day in force when no link is dated', () => {
    expect(since([{ kind: 'DIRECT', through: null, factIds: ['f:coop'] }])).toEqual({ since: null, inForceFrom: PUBLISHED });
  });

  it('gives nulls when the links have no known facts', () => {
    expect(since([])).toEqual({ since: null, inForceFrom: null });
    expect(since([{ factIds: ['f:unknown'] }])).toEqual({ since: null, inForceFrom: null });
  });
});

describe('buildNetwork', () => {
  const rows: NetworkRow[] = [
    { x: 'belgium', y: 'lithuania', via: 'shared', ids: ['nato', 'crrts'] },
    { x: 'belgium', y: 'lithuania', via: 'direct', ids: ['f:coop', 'f:sof-coop', 'f:sof-train'] },
    { x: 'belgium', y: 'lithuania', via: 'shared', ids: ['nato'] }, // a repeated shared entity counts once
    { x: 'belgium', y: 'germany', via: 'shared', ids: ['efp'] },
    { x: 'germany', y: 'norway', via: 'shared', ids: ['efp'] },
    { x: 'lithuania', y: 'ukraine', via: 'direct', ids: ['f:supports'] },
  ];
  const network = buildNetwork(rows);

  it('makes one edge per pair, weighted by distinct shared entities plus direct facts', () => {
    expect(network.edges).toEqual([
      { source: 'belgium', target: 'germany', shared: ['efp'], direct: [] },
      { source: 'belgium', target: 'lithuania', shared: ['crrts', 'nato'], direct: ['f:coop', 'f:sof-coop', 'f:sof-train'] },
      { source: 'germany', target: 'norway', shared: ['efp'], direct: [] },
      { source: 'lithuania', target: 'ukraine', shared: [], direct: ['f:supports'] },
    ]);
  });

  it('counts degree, weighted degree, shared and direct partners per node, strongest first', () => {
    expect(network.nodes).toEqual([
      { entity: 'belgium', degree: 2, weightedDegree: 6, sharedPartners: 2, directPartners: 1 },
      { entity: 'lithuania', degree: 2, weightedDegree: 6, sharedPartners: 1, directPartners: 2 },
      { entity: 'germany', degree: 2, weightedDegree: 2, sharedPartners: 2, directPartners: 0 },
      { entity: 'norway', degree: 1, weightedDegree: 1, sharedPartners: 1, directPartners: 0 },
      { entity: 'ukraine', degree: 1, weightedDegree: 1, sharedPartners: 0, directPartners: 1 },
    ]);
  });

  it('is empty for no rows', () => {
    expect(buildNetwork([])).toEqual({ nodes: [], edges: [] });
  });
});

describe('toPaths', () => {
  it('marks each hop forward when it follows its relationship from start to end node', () => {
    const rows: PathRow[] = [
      {
        nodes: ['luxembourg', 'efp', 'belgium'],
        rels: [
          { type: 'PARTICIPATES_IN', factId: 'f:lu-efp', from: 'luxembourg', to: 'efp' },
          { type: 'PARTICIPATES_IN', factId: 'f:be-efp', from: 'belgium', to: 'efp' },
        ],
      },
      {
        nodes: ['lithuania', 'nato', 'efp'],
        rels: [
          { type: 'MEMBER_OF', factId: 'f:lt-nato', from: 'lithuania', to: 'nato' },
          { type: 'BELONGS_TO', factId: null, from: 'efp', to: 'nato' },
        ],
      },
    ];
    expect(toPaths(rows)).toEqual([
      {
        hops: [
          { from: 'luxembourg', to: 'efp', relation: 'PARTICIPATES_IN', factId: 'f:lu-efp', forward: true },
          { from: 'efp', to: 'belgium', relation: 'PARTICIPATES_IN', factId: 'f:be-efp', forward: false },
        ],
      },
      {
        hops: [
          { from: 'lithuania', to: 'nato', relation: 'MEMBER_OF', factId: 'f:lt-nato', forward: true },
          { from: 'nato', to: 'efp', relation: 'BELONGS_TO', factId: null, forward: false },
        ],
      },
    ]);
  });

  it('gives a structural hop with no fact id a null fact', () => {
    const [path] = toPaths([{ nodes: ['a', 'b'], rels: [{ type: 'BELONGS_TO', factId: undefined as unknown as null, from: 'a', to: 'b' }] }]);
    expect(path?.hops[0]?.factId).toBeNull();
    expect(path?.hops[0]?.forward).toBe(true);
  });
});

describe('timelineEntries', () => {
  const ended = fact('f:ended', { start: Y2004, end: EARLY_2017, status: 'ENDED' });
  const crrtLt = fact('f:crrt-lt', { start: Y2023 });
  const crrtBe = fact('f:crrt-be', { start: FEB_2023 });
  const efpB = fact('f:efp-b', { start: EARLY_2017 });
  const efpA = fact('f:efp-a', { start: EARLY_2017 });
  const undated = fact('f:undated');
  const all = [crrtLt, undated, efpB, ended, crrtBe, efpA];

  const show = (entries: ReturnType<typeof timelineEntries>) => entries.map((e) => `${e.date.text} ${e.moment} ${e.fact.id}`);

  it('orders by earliest day, then latest day, then fact id, with starts and ends, and skips undated facts', () => {
    expect(show(timelineEntries(all, null, null))).toEqual([
      '2004 START f:ended',
      // Same span (2017-01-01..2017-04-30): by fact id.
      'early 2017 START f:efp-a',
      'early 2017 START f:efp-b',
      'early 2017 END f:ended',
      // Both begin 2023-01-01 or later: "2023" (01-01..12-31) before "February 2023" (02-01..02-28).
      '2023 START f:crrt-lt',
      'February 2023 START f:crrt-be',
    ]);
  });

  it('keeps a date that can fall on or after `from` (its latest day), and on or before `to` (its earliest day)', () => {
    // early 2017 = 2017-01-01..2017-04-30
    expect(show(timelineEntries([efpA], '2017-04-30', null))).toEqual(['early 2017 START f:efp-a']);
    expect(show(timelineEntries([efpA], '2017-05-01', null))).toEqual([]);
    expect(show(timelineEntries([efpA], null, '2017-01-01'))).toEqual(['early 2017 START f:efp-a']);
    expect(show(timelineEntries([efpA], null, '2016-12-31'))).toEqual([]);
  });

  it('windows each moment of a fact on its own', () => {
    expect(show(timelineEntries(all, '2010-01-01', '2020-12-31'))).toEqual([
      'early 2017 START f:efp-a',
      'early 2017 START f:efp-b',
      'early 2017 END f:ended',
    ]);
    expect(show(timelineEntries(all, '2023-03-01', null))).toEqual(['2023 START f:crrt-lt']);
  });
});

describe('argument checks', () => {
  it('checkRange accepts the bounds and names the argument, the limits and the value otherwise', () => {
    expect(checkRange('first', 1, LIMITS.first)).toBe(1);
    expect(checkRange('first', 100, LIMITS.first)).toBe(100);
    expect(thrown(() => checkRange('first', 101, LIMITS.first)).message).toBe('Argument "first" must be an integer from 1 to 100; got 101.');
    expect(thrown(() => checkRange('first', 0, LIMITS.first)).message).toBe('Argument "first" must be an integer from 1 to 100; got 0.');
    expect(thrown(() => checkRange('maxHops', 7, LIMITS.maxHops)).message).toBe('Argument "maxHops" must be an integer from 1 to 6; got 7.');
    expect(thrown(() => checkRange('first', 2.5, LIMITS.first)).message).toBe('Argument "first" must be an integer from 1 to 100; got 2.5.');
    const error = thrown(() => checkRange('first', -3, LIMITS.first));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'first', value: -3 });
  });

  it('checkId refuses an empty id and one over 200 characters, shortening a long value in the message', () => {
    expect(checkId('id', 'belgium')).toBe('belgium');
    expect(checkId('id', 'x'.repeat(200))).toHaveLength(200);
    expect(thrown(() => checkId('id', '')).message).toBe('Argument "id" must be 1 to 200 characters long; got "".');
    const long = thrown(() => checkId('of', 'y'.repeat(201)));
    expect(long.message).toBe(`Argument "of" must be 1 to 200 characters long; got "${'y'.repeat(60)}…".`);
  });

  it('checkSearchText trims, and counts the limits after trimming', () => {
    expect(checkSearchText('  NATO \n')).toBe('NATO');
    expect(checkSearchText(` ${'a'.repeat(200)} `)).toBe('a'.repeat(200));
    expect(checkSearchText('tab\tand\nnewline')).toBe('tab\tand\nnewline');
    expect(thrown(() => checkSearchText('')).message).toBe('Argument "text" must be 1 to 200 characters long (after trimming); got "".');
    expect(thrown(() => checkSearchText(' \t\n ')).message).toBe('Argument "text" must be 1 to 200 characters long (after trimming); got "".');
    expect(thrown(() => checkSearchText('b'.repeat(201))).message).toBe(
      `Argument "text" must be 1 to 200 characters long (after trimming); got "${'b'.repeat(60)}…".`,
    );
  });

  it('checkSearchText refuses control characters other than ordinary whitespace', () => {
    for (const control of ['\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u000E', '\u001F', '\u007F']) {
      const error = thrown(() => checkSearchText(`a${control}b`));
      expect(error.message).toBe(`Argument "text" must not contain control characters; got ${JSON.stringify(`a${control}b`)}.`);
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
    }
  });

  it('day gives the UTC day of a Date scalar, or null', () => {
    expect(day(new Date('2017-05-01T00:00:00Z'))).toBe('2017-05-01');
    expect(day(null)).toBeNull();
    expect(day(undefined)).toBeNull();
  });
});

describe('cursors', () => {
  it('round-trip any id, and are opaque (not the id itself)', () => {
    for (const id of ['belgium', 'aaa-test', 'lithuania-belgium-chods-meeting-2024', 'ūkis:š/ž?=&', '']) {
      const cursor = encodeCursor(id);
      expect(cursor).not.toContain(id || '\u0000');
      expect(cursor).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(decodeCursor(cursor)).toBe(id);
    }
  });

  it('refuses forged cursors with BAD_USER_INPUT naming "after"', () => {
    const forged = [
      'abc', // decodes to garbage
      Buffer.from('belgium', 'utf8').toString('base64url'), // no prefix
      Buffer.from('node:belgium', 'utf8').toString('base64url'), // wrong prefix
      `${encodeCursor('belgium')}=`, // padded: decodes the same, but is not what the API returns
      Buffer.from('entity:belgium', 'utf8').toString('base64'), // base64 with padding, not base64url
      `${encodeCursor('belgium')}!`, // a character outside base64url
      '',
    ];
    for (const cursor of forged) {
      const error = thrown(() => decodeCursor(cursor));
      expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after', value: cursor });
      expect(error.message).toBe(`Argument "after" must be an endCursor returned by this API; got ${JSON.stringify(cursor)}.`);
    }
  });
});

describe('luceneQuery', () => {
  const SPECIAL = ['+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '\\', '/', '&', '|', '&&', '||'];

  /** The words of a query built by luceneQuery, checking its shape: (w^3 OR w*) AND ... */
  function words(query: string): string[] {
    const clauses = query.split(' AND ');
    return clauses.map((clause) => {
      const match = /^\((.+)\^3 OR (.+)\*\)$/.exec(clause);
      expect(match).not.toBeNull();
      expect(match?.[1]).toBe(match?.[2]);
      return match?.[1] as string;
    });
  }

  it('builds "whole word (boosted) or word start" clauses, lower-cased, joined by AND', () => {
    expect(luceneQuery('SNMCMG1')).toBe('(snmcmg1^3 OR snmcmg1*)');
    expect(luceneQuery('Belgian Navy')).toBe('(belgian^3 OR belgian*) AND (navy^3 OR navy*)');
    expect(luceneQuery('Rupšys')).toBe('(rupsys^3 OR rupsys*)');
  });

  it('folds case and accents as the full-text analyzer does', () => {
    expect(luceneQuery('RUPŠYS')).toBe('(rupsys^3 OR rupsys*)');
    expect(luceneQuery('Straße Øresund Łódź')).toBe('(strasse^3 OR strasse*) AND (oresund^3 OR oresund*) AND (lodz^3 OR lodz*)');
    expect(fold('Lietuvos kariuomenė')).toBe('lietuvos kariuomene');
  });

  it('folds plain ASCII as the full rule does', () => {
    const full = (text: string) => text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
    for (const text of ['NATO', 'Belgian Navy', 'eFP Battle Group (Lithuania)', 'F-16 & C-130', '', ' Tab\there ~^*']) expect(fold(text)).toBe(full(text));
  });

  it('with typos, lets words of 5 letters or more match one edit away', () => {
    expect(luceneQuery('ordnance disposal', { typos: true })).toBe('(ordnance^3 OR ordnance* OR ordnance~1) AND (disposal^3 OR disposal* OR disposal~1)');
    expect(luceneQuery('F-16', { typos: true })).toBe('(f^3 OR f*) AND (16^3 OR 16*)');
  });

  it('leaves no Lucene special character in any word, whatever the text', () => {
    for (const special of SPECIAL) {
      for (const text of [`foo${special}bar`, `${special}foo`, `foo${special}`, `${special}${special}foo bar${special}`]) {
        const query = luceneQuery(text);
        expect(query).not.toBeNull();
        for (const word of words(query as string)) {
          expect(word).toMatch(/^[^+\-!(){}[\]^"~*?:\\/&|\s]+$/);
          expect(['foo', 'bar']).toContain(word);
        }
      }
    }
    const hostile = luceneQuery('title:[a TO z] OR (c AND "unbalanced \\ ~~~ *?');
    expect(words(hostile as string)).toEqual(['title', 'z', 'c', 'unbalanced']);
  });

  it("drops the operators AND, OR, NOT and TO in any case, with the analyzer's other stop words", () => {
    expect(luceneQuery('NATO and EU')).toBe('(nato^3 OR nato*) AND (eu^3 OR eu*)');
    expect(luceneQuery('a:b OR (c')).toBe('(b^3 OR b*) AND (c^3 OR c*)');
    expect(luceneQuery('Chief of the Defence')).toBe('(chief^3 OR chief*) AND (defence^3 OR defence*)');
    expect(luceneQuery('NOT Belgium')).toBe('(belgium^3 OR belgium*)');
  });

  it('returns null when nothing but operators, symbols or spaces is left', () => {
    for (const text of ['AND', 'AND OR NOT TO', 'and or not', '*', '\\', '~~~', '&& || !', '"', '(){}[]', '🚀🇱🇹', '   ', '']) {
      expect(luceneQuery(text)).toBeNull();
    }
  });

  it('normalises compatibility characters and keeps at most 12 words', () => {
    expect(luceneQuery('ＮＡＴＯ')).toBe('(nato^3 OR nato*)'); // full-width letters
    const many = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    expect(words(luceneQuery(many) as string)).toEqual(Array.from({ length: 12 }, (_, i) => `w${i}`));
  });
});
