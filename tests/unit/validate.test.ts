/**
 * The validator, without a database. Each bad document is the seed release (parsed from
 * seed/*.yaml, with its real text bytes) with one thing changed, and the test names the exact
 * problem it must produce: record, field, value and message.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { completeDate, spanOf } from '../../src/ingest/dates';
import { factId } from '../../src/ingest/document';
import { readDocument } from '../../src/ingest/read';
import { evidenceId, formatProblems, UNKNOWN_ENTITY, validateDocument, type Problem } from '../../src/ingest/validate';
import { DOMAINS, RELATION_TYPES } from '../../src/ontology';
import { PROJECT_ROOT, SEED_DIR } from '../../src/paths';

const SEED_FILE = path.join(SEED_DIR, 'lt-mod-2024-03-25-chod-belgium.yaml');
const FIXTURES = path.join(PROJECT_ROOT, 'tests', 'fixtures');
const SOURCE_ID = 'lt-mod-2024-03-25-chod-belgium';
const SEED_SHA256 = 'e81ce9bde3fdf9d0b99b7a782005b6b992ea2ff52afcfc81b389326c0f250fc4';

// The facts and entities the cases change, by id.
const LITHUANIA_IN_NATO = 'fact:member-of:lithuania:nato';
const RUPSYS_IS_CHOD = 'fact:holds-position:valdemaras-rupsys:lithuanian-armed-forces';
const BELGIUM_IN_AIR_POLICING = 'fact:participates-in:belgium:nato-air-policing-mission:contributor';
const BELGIUM_JOINED_CRRT = 'fact:participates-in:belgium:crrts-and-mutual-assistance-in-cyber:participant';
const NATO_SENTENCE =
  'Belgium was the first NATO member to deploy F-16 fighter aircraft to the NATO Air Policing Mission when Lithuania became a member of NATO in 2004.';

type Rec = Record<string, any>;
interface Doc {
  source: Rec;
  entities: Rec[];
  facts: Rec[];
  [key: string]: unknown;
}
type Expected = Omit<Problem, 'file'>;

const seed = readDocument(SEED_FILE);
const seedData = seed.data as Doc;
if (!Buffer.isBuffer(seed.textBytes)) throw new Error(`The seed's text could not be read: ${seed.textBytes}`);
const textBytes: Buffer = seed.textBytes;

function fact(doc: Doc, id: string): Rec {
  const found = doc.facts.find((f) => factId(f as Parameters<typeof factId>[0]) === id);
  if (!found) throw new Error(`The seed has no fact ${id}`);
  return found;
}

function entity(doc: Doc, id: string): Rec {
  const found = doc.entities.find((e) => e.id === id);
  if (!found) throw new Error(`The seed has no entity ${id}`);
  return found;
}

/** Validates a deep copy of the seed changed by `mutate`; returns its problems (it must fail). */
function problemsOf(mutate: (doc: Doc) => void, bytes: Buffer = textBytes): Problem[] {
  const data = structuredClone(seedData);
  mutate(data);
  // Checked on its own: ids it does not declare name nothing.
  const result = validateDocument({ file: 'bad.yaml', data, textBytes: bytes }, () => false);
  if (result.ok) throw new Error('The changed document validated, but it should have been rejected');
  return result.problems;
}

/** Zod's message for a value outside an enum, with the ontology's list. */
function oneOf(values: readonly string[]): string {
  return `Invalid option: expected one of ${values.map((v) => `"${v}"`).join('|')}`;
}

describe('the seed release', () => {
  it('validates with no problems', () => {
    const result = validateDocument({ file: SEED_FILE, data: seedData, textBytes });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('comes out as 37 entities, 44 facts and 48 pieces of evidence, with the text decoded', () => {
    const result = validateDocument({ file: SEED_FILE, data: seedData, textBytes });
    if (!result.ok) throw new Error(formatProblems(result.problems));
    const { document } = result;
    expect(document.entities).toHaveLength(37);
    expect(document.facts).toHaveLength(44);
    expect(document.facts.flatMap((f) => f.evidence)).toHaveLength(48);
    // 2972 bytes of UTF-8 are 2955 code points (š, ’ take more than one byte).
    expect(textBytes.length).toBe(2972);
    expect(Array.from(document.source.text)).toHaveLength(2955);
    expect(document.source.published).toEqual({
      text: 'March 2024, on or just before the 25th',
      value: '2024-03',
      precision: 'RANGE',
      earliest: '2024-03-01',
      latest: '2024-03-25',
    });
  });

  it("completes Lithuania's NATO membership: factId, a YEAR start 2004 spanning the year, evidence id", () => {
    const result = validateDocument({ file: SEED_FILE, data: seedData, textBytes });
    if (!result.ok) throw new Error(formatProblems(result.problems));
    const membership = result.document.facts.find((f) => f.id === LITHUANIA_IN_NATO);
    expect(membership).toMatchObject({
      id: LITHUANIA_IN_NATO,
      type: 'MEMBER_OF',
      subject: 'lithuania',
      object: 'nato',
      status: 'ACTIVE',
      start: { text: '2004', value: '2004', precision: 'YEAR', earliest: '2004-01-01', latest: '2004-12-31' },
      evidence: [
        {
          id: evidenceId(LITHUANIA_IN_NATO, { source: SOURCE_ID, start: 966, end: 1112 }),
          source: SOURCE_ID,
          quote: NATO_SENTENCE,
          start: 966,
          end: 1112,
        },
      ],
    });
    expect(membership?.evidence[0]?.id).toMatch(/^evidence:[0-9a-f]{24}$/);
  });
});

describe('factId', () => {
  it('is type, subject, object and role, so status and evidence do not make a new fact', () => {
    expect(factId({ type: 'PARTICIPATES_IN', subject: 'belgium', object: 'efp-battle-group-lithuania', role: 'CONTRIBUTOR' })).toBe(
      'fact:participates-in:belgium:efp-battle-group-lithuania:contributor',
    );
    expect(factId({ type: 'MEMBER_OF', subject: 'lithuania', object: 'nato' })).toBe(LITHUANIA_IN_NATO);
  });
});

interface Case {
  name: string;
  mutate: (doc: Doc) => void;
  problems: Expected[];
}

const shapeCases: Case[] = [
  {
    name: 'an unknown top-level key',
    mutate: (d) => {
      d.comments = 'curated by hand';
    },
    problems: [{ record: '(document)', field: '(document)', value: ['comments'], message: 'Unrecognized key: "comments"' }],
  },
  {
    name: 'an unknown key in the source',
    mutate: (d) => {
      d.source.author = 'Press office';
    },
    problems: [{ record: 'source', field: '(record)', value: ['author'], message: 'Unrecognized key: "author"' }],
  },
  {
    name: 'an unknown key in an entity',
    mutate: (d) => {
      entity(d, 'nato').founded = 1949;
    },
    problems: [{ record: 'entity nato', field: '(record)', value: ['founded'], message: 'Unrecognized key: "founded"' }],
  },
  {
    name: 'an unknown key in a fact',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).confidence = 'high';
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: '(record)', value: ['confidence'], message: 'Unrecognized key: "confidence"' }],
  },
  {
    name: 'an unknown key in a piece of evidence',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).evidence[0].page = 2;
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'evidence[0]', value: ['page'], message: 'Unrecognized key: "page"' }],
  },
  {
    name: "a missing entity's name",
    mutate: (d) => {
      delete entity(d, 'rukla').name;
    },
    problems: [{ record: 'entity rukla', field: 'name', value: undefined, message: 'Invalid input: expected string, received undefined' }],
  },
  {
    name: "a missing source's sha256",
    mutate: (d) => {
      delete d.source.sha256;
    },
    problems: [{ record: 'source', field: 'sha256', value: undefined, message: 'Invalid input: expected string, received undefined' }],
  },
  {
    name: 'a fact without evidence',
    mutate: (d) => {
      delete fact(d, LITHUANIA_IN_NATO).evidence;
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'evidence', value: undefined, message: 'Invalid input: expected array, received undefined' }],
  },
  {
    name: 'a fact with an empty evidence list',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).evidence = [];
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'evidence', value: [], message: 'a fact needs at least one piece of evidence' }],
  },
  {
    name: 'an entity id that is not lower-case words joined by hyphens',
    mutate: (d) => {
      entity(d, 'rukla').id = 'Rukla';
    },
    problems: [
      { record: 'entity Rukla', field: 'id', value: 'Rukla', message: 'must be lower-case words joined by hyphens, e.g. "belgian-navy"' },
      // The facts about Rukla now name an id nobody declares: reported too, since every record is checked.
      { record: 'fact fact:deployed-at:efp-battle-group-lithuania:rukla', field: 'object', value: 'rukla', message: UNKNOWN_ENTITY },
    ],
  },
  {
    name: 'a fact subject id with an underscore',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).subject = 'republic_of_lithuania';
    },
    problems: [
      {
        record: 'fact fact:member-of:republic_of_lithuania:nato',
        field: 'subject',
        value: 'republic_of_lithuania',
        message: 'must be lower-case words joined by hyphens, e.g. "belgian-navy"',
      },
    ],
  },
  {
    name: 'an entity kind outside the ontology',
    mutate: (d) => {
      entity(d, 'lithuania').kind = 'Nation';
    },
    problems: [
      {
        record: 'entity lithuania',
        field: 'kind',
        value: 'Nation',
        message: 'Invalid option: expected one of "Country"|"Organisation"|"Unit"|"Initiative"|"Person"|"Event"|"Place"',
      },
    ],
  },
  {
    name: 'a status outside the ontology',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).status = 'RUMOURED';
    },
    problems: [
      {
        record: `fact ${LITHUANIA_IN_NATO}`,
        field: 'status',
        value: 'RUMOURED',
        message: 'Invalid option: expected one of "ACTIVE"|"ENDED"|"PLANNED"|"PROPOSED"|"ANNOUNCED"',
      },
    ],
  },
  {
    name: 'a domain outside the ontology',
    mutate: (d) => {
      fact(d, BELGIUM_IN_AIR_POLICING).domains = ['AIR', 'SPACE'];
    },
    problems: [{ record: `fact ${BELGIUM_IN_AIR_POLICING}`, field: 'domains[1]', value: 'SPACE', message: oneOf(DOMAINS) }],
  },
  {
    name: 'a role outside the ontology',
    mutate: (d) => {
      fact(d, BELGIUM_IN_AIR_POLICING).role = 'PILOT';
    },
    problems: [
      {
        // The role is part of the fact's identity, so the record is named with the bad role.
        record: 'fact fact:participates-in:belgium:nato-air-policing-mission:pilot',
        field: 'role',
        value: 'PILOT',
        message: 'Invalid option: expected one of "MEMBER"|"CONTRIBUTOR"|"LEAD"|"COORDINATOR"|"HOST"|"PARTICIPANT"|"BENEFICIARY"',
      },
    ],
  },
  {
    name: 'a relationship type outside the ontology',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).type = 'ALLIED_WITH';
    },
    problems: [{ record: 'fact fact:allied-with:lithuania:nato', field: 'type', value: 'ALLIED_WITH', message: oneOf(RELATION_TYPES) }],
  },
  {
    name: 'a YEAR date written with two digits ("23")',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).start = { text: "'23", value: '23', precision: 'YEAR' };
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'start.value', value: '23', message: 'must be YYYY, YYYY-MM or YYYY-MM-DD' }],
  },
];

const meaningCases: Case[] = [
  {
    name: 'an entity id declared twice',
    mutate: (d) => {
      d.entities.push({ id: 'belgium', kind: 'Country', subtype: 'STATE', name: 'Belgium (again)', aliases: [] });
    },
    problems: [{ record: 'entity belgium', field: 'id', value: 'belgium', message: 'is declared more than once' }],
  },
  {
    name: 'a subtype that is not of the entity kind',
    mutate: (d) => {
      entity(d, 'lithuania').subtype = 'ALLIANCE';
    },
    problems: [{ record: 'entity lithuania', field: 'subtype', value: 'ALLIANCE', message: 'is not a subtype of Country; allowed: STATE' }],
  },
  {
    name: 'an ISO 3166 code on an entity that is not a Country',
    mutate: (d) => {
      entity(d, 'nato').reference.iso3166 = 'NA';
    },
    problems: [{ record: 'entity nato', field: 'reference.iso3166', value: 'NA', message: 'is only for entities of kind Country' }],
  },
  {
    name: 'an alias listed twice',
    mutate: (d) => {
      entity(d, 'belgium').aliases.push('Belgian');
    },
    problems: [
      {
        record: 'entity belgium',
        field: 'aliases',
        value: ['Kingdom of Belgium', 'Belgian', 'Belgium’s', 'Belgian'],
        message: 'lists an alias more than once',
      },
    ],
  },
  {
    name: 'belongsTo an entity the document does not declare',
    mutate: (d) => {
      entity(d, 'belgian-navy').belongsTo = 'belgian-ministry-of-defence';
    },
    problems: [
      { record: 'entity belgian-navy', field: 'belongsTo', value: 'belgian-ministry-of-defence', message: UNKNOWN_ENTITY },
    ],
  },
  {
    name: 'a fact subject the document does not declare',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).subject = 'latvia';
    },
    problems: [{ record: 'fact fact:member-of:latvia:nato', field: 'subject', value: 'latvia', message: UNKNOWN_ENTITY }],
  },
  {
    name: 'a fact object the document does not declare',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).object = 'otan';
    },
    problems: [{ record: 'fact fact:member-of:lithuania:otan', field: 'object', value: 'otan', message: UNKNOWN_ENTITY }],
  },
  {
    name: 'a fact whose subject is its object',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).object = 'lithuania';
    },
    problems: [{ record: 'fact fact:member-of:lithuania:lithuania', field: 'object', value: 'lithuania', message: 'is the same entity as the subject' }],
  },
  {
    name: 'the same fact given twice (a different status does not make it another fact)',
    mutate: (d) => {
      d.facts.push({ ...structuredClone(fact(d, LITHUANIA_IN_NATO)), status: 'PLANNED' });
    },
    problems: [
      {
        record: `fact ${LITHUANIA_IN_NATO}`,
        field: '(record)',
        value: LITHUANIA_IN_NATO,
        message: 'states the same fact twice; give one record with several pieces of evidence',
      },
    ],
  },
  {
    name: 'a title on a fact that is not HOLDS_POSITION',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).title = 'Ally';
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'title', value: 'Ally', message: 'is only for HOLDS_POSITION facts' }],
  },
  {
    name: 'a HOLDS_POSITION fact without a title',
    mutate: (d) => {
      delete fact(d, RUPSYS_IS_CHOD).title;
    },
    problems: [{ record: `fact ${RUPSYS_IS_CHOD}`, field: 'title', value: undefined, message: 'is required for HOLDS_POSITION facts' }],
  },
  {
    name: 'a domain listed twice',
    mutate: (d) => {
      fact(d, BELGIUM_IN_AIR_POLICING).domains = ['AIR', 'AIR'];
    },
    problems: [{ record: `fact ${BELGIUM_IN_AIR_POLICING}`, field: 'domains', value: ['AIR', 'AIR'], message: 'lists a domain more than once' }],
  },
  {
    name: 'a quote one character off its offsets (the message says where it occurs)',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).evidence[0].start += 1;
    },
    problems: [
      {
        record: `fact ${LITHUANIA_IN_NATO}`,
        field: 'evidence[0].quote',
        value: NATO_SENTENCE,
        message: 'is not the text at 967..1112 ("elgium was the first NATO member to deploy F-16 fighter airc"); the quote occurs at 966',
      },
    ],
  },
  {
    name: 'offsets counted in UTF-8 bytes instead of code points (š, two ’ and twelve no-break spaces come before)',
    mutate: (d) => {
      const piece = fact(d, 'fact:part-of:demining-coalition:ramstein-format').evidence[0];
      const codePoints = Array.from(textBytes.toString('utf8'));
      piece.start = Buffer.byteLength(codePoints.slice(0, piece.start).join(''));
      piece.end = Buffer.byteLength(codePoints.slice(0, piece.end).join(''));
    },
    problems: [
      {
        record: 'fact fact:part-of:demining-coalition:ramstein-format',
        field: 'evidence[0].quote',
        value:
          'Lithuania has become responsible for the Demining Coalition in the Ramstein format to support the Ministry of Defence and the Armed Forces of Ukraine with equipment procurements and training in the areas of humanitarian and military demining.',
        message: 'is not the text at 2705..2947 ("ome responsible for the Demining Coalition in the Ramstein f"); the quote occurs at 2688',
      },
    ],
  },
  {
    name: 'a quote that is not in the text at all',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).evidence[0].quote = 'Lithuania joined NATO in 2004.';
    },
    problems: [
      {
        record: `fact ${LITHUANIA_IN_NATO}`,
        field: 'evidence[0].quote',
        value: 'Lithuania joined NATO in 2004.',
        message: 'is not the text at 966..1112 ("Belgium was the first NATO member to deploy F-16 fighter air"); the quote does not occur in the text',
      },
    ],
  },
  {
    name: 'an end past the end of the text (counted in code points: 2955, not 2972 bytes)',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).evidence[0].end = 2956;
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'evidence[0].end', value: 2956, message: 'is past the end of the source text (2955 characters)' }],
  },
  {
    name: 'an end equal to the start',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).evidence[0].end = 966;
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'evidence[0].end', value: 966, message: 'must be greater than start (966)' }],
  },
  {
    name: 'an end before the start',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).evidence[0].end = 900;
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'evidence[0].end', value: 900, message: 'must be greater than start (966)' }],
  },
  {
    name: 'the same piece of evidence given twice',
    mutate: (d) => {
      const f = fact(d, LITHUANIA_IN_NATO);
      f.evidence.push(structuredClone(f.evidence[0]));
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'evidence[1]', value: '966:1112', message: 'repeats another piece of evidence' }],
  },
  {
    name: 'evidence from another source',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).evidence[0].source = 'nato-2004-accession';
    },
    problems: [
      {
        record: `fact ${LITHUANIA_IN_NATO}`,
        field: 'evidence[0].source',
        value: 'nato-2004-accession',
        message: "must be this document's source (lt-mod-2024-03-25-chod-belgium)",
      },
    ],
  },
  {
    name: 'a sha256 that is not the text file’s',
    mutate: (d) => {
      d.source.sha256 = 'f'.repeat(64);
    },
    problems: [{ record: 'source', field: 'sha256', value: 'f'.repeat(64), message: `does not match the text file, whose SHA-256 is ${SEED_SHA256}` }],
  },
  {
    name: 'a MONTH date with month 13 ("2023-13")',
    mutate: (d) => {
      fact(d, BELGIUM_JOINED_CRRT).start = { text: 'February 2023', value: '2023-13', precision: 'MONTH' };
    },
    problems: [{ record: `fact ${BELGIUM_JOINED_CRRT}`, field: 'start.value', value: '2023-13', message: 'the month must be 01 to 12' }],
  },
  {
    name: 'a DAY date that is not in the calendar ("2023-02-30")',
    mutate: (d) => {
      fact(d, BELGIUM_JOINED_CRRT).start = { text: '30 February 2023', value: '2023-02-30', precision: 'DAY' };
    },
    problems: [{ record: `fact ${BELGIUM_JOINED_CRRT}`, field: 'start.value', value: '2023-02-30', message: 'is not a day of the calendar' }],
  },
  {
    name: '29 February in a year that is not a leap year ("2023-02-29")',
    mutate: (d) => {
      fact(d, BELGIUM_JOINED_CRRT).start = { text: '29 February 2023', value: '2023-02-29', precision: 'DAY' };
    },
    problems: [{ record: `fact ${BELGIUM_JOINED_CRRT}`, field: 'start.value', value: '2023-02-29', message: 'is not a day of the calendar' }],
  },
  {
    name: 'a value that does not fit its precision (MONTH "2023")',
    mutate: (d) => {
      fact(d, BELGIUM_JOINED_CRRT).start = { text: 'February 2023', value: '2023', precision: 'MONTH' };
    },
    problems: [{ record: `fact ${BELGIUM_JOINED_CRRT}`, field: 'start.value', value: '2023', message: 'a MONTH date must look like YYYY-MM' }],
  },
  {
    name: 'a RANGE without earliest and latest',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).start = { text: 'early 2004', value: '2004', precision: 'RANGE' };
    },
    problems: [
      { record: `fact ${LITHUANIA_IN_NATO}`, field: 'start.earliest', value: undefined, message: 'is required when precision is RANGE' },
      { record: `fact ${LITHUANIA_IN_NATO}`, field: 'start.latest', value: undefined, message: 'is required when precision is RANGE' },
    ],
  },
  {
    name: 'a RANGE whose earliest is after its latest',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).start = { text: 'early 2004', value: '2004', precision: 'RANGE', earliest: '2004-04-30', latest: '2004-01-01' };
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'start.earliest', value: '2004-04-30', message: 'is after latest (2004-01-01)' }],
  },
  {
    name: 'a RANGE whose value lies outside it',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).start = { text: 'early 2004', value: '2005', precision: 'RANGE', earliest: '2004-01-01', latest: '2004-04-30' };
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'start.value', value: '2005', message: 'lies outside the range 2004-01-01..2004-04-30' }],
  },
  {
    name: 'a given earliest that disagrees with the one its YEAR value means',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).start = { text: '2004', value: '2004', precision: 'YEAR', earliest: '2004-03-29' };
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'start.earliest', value: '2004-03-29', message: 'must be 2004-01-01 for YEAR 2004 (or be left out)' }],
  },
  {
    name: 'a given latest that disagrees with the one its MONTH value means (February 2023 has 28 days)',
    mutate: (d) => {
      fact(d, BELGIUM_JOINED_CRRT).start = { text: 'February 2023', value: '2023-02', precision: 'MONTH', latest: '2023-02-29' };
    },
    problems: [
      { record: `fact ${BELGIUM_JOINED_CRRT}`, field: 'start.latest', value: '2023-02-29', message: 'must be 2023-02-28 for MONTH 2023-02 (or be left out)' },
    ],
  },
  {
    name: 'a start after the end',
    mutate: (d) => {
      const f = fact(d, LITHUANIA_IN_NATO);
      f.status = 'ENDED';
      f.end = { text: '2003', value: '2003', precision: 'YEAR' };
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'start', value: '2004', message: 'is after the end (2003)' }],
  },
  {
    name: 'an ENDED fact without an end',
    mutate: (d) => {
      fact(d, LITHUANIA_IN_NATO).status = 'ENDED';
    },
    problems: [{ record: `fact ${LITHUANIA_IN_NATO}`, field: 'end', value: undefined, message: 'is required when status is ENDED' }],
  },
  {
    name: "a source's published date with a bad range",
    mutate: (d) => {
      d.source.published.latest = '2024-02-29';
    },
    problems: [{ record: 'source', field: 'published.earliest', value: '2024-03-01', message: 'is after latest (2024-02-29)' }],
  },
];

describe('the validator rejects the seed with one thing wrong', () => {
  describe('in its shape', () => {
    it.each(shapeCases)('$name', ({ mutate, problems }) => {
      expect(problemsOf(mutate)).toEqual(problems.map((p) => ({ file: 'bad.yaml', ...p })));
    });
  });

  describe('in its meaning', () => {
    it.each(meaningCases)('$name', ({ mutate, problems }) => {
      expect(problemsOf(mutate)).toEqual(problems.map((p) => ({ file: 'bad.yaml', ...p })));
    });
  });

  it('a text file that is not UTF-8, reported once (not again for every piece of evidence)', () => {
    const notUtf8 = Buffer.concat([textBytes, Buffer.from([0xc3, 0x28])]);
    const sha256 = crypto.createHash('sha256').update(notUtf8).digest('hex');
    const problems = problemsOf((d) => {
      d.source.sha256 = sha256;
    }, notUtf8);
    expect(problems).toEqual([
      { file: 'bad.yaml', record: 'source', field: 'textFile', value: 'sources/lt-mod-2024-03-25-chod-belgium.txt', message: 'is not valid UTF-8' },
    ]);
  });
});

describe('the validator reads files', () => {
  it('reports a missing text file once, with where it looked', () => {
    const file = path.join(FIXTURES, 'missing-text.yaml');
    const result = validateDocument(readDocument(file));
    expect(result.ok ? [] : result.problems).toEqual([
      {
        file,
        record: 'source',
        field: 'textFile',
        value: 'sources/no-such-file.txt',
        message: `cannot be read (looked for ${path.join(FIXTURES, 'sources', 'no-such-file.txt')})`,
      },
    ]);
  });

  it('reports invalid YAML with the line it fails at', () => {
    const file = path.join(FIXTURES, 'broken.yaml');
    const result = validateDocument(readDocument(file));
    expect(result.ok ? [] : result.problems).toEqual([
      {
        file,
        record: '(document)',
        field: '(document)',
        value: file,
        message:
          'is not valid YAML or JSON: Flow map in block collection must be sufficiently indented and end with a } at line 5, column 3:\n\n' +
          '  published: {text: "2024", value: "2024", precision: YEAR\n  language: en\n  ^\n',
      },
    ]);
  });

  it('reports a key given twice in one YAML mapping', () => {
    const file = path.join(FIXTURES, 'duplicate-key.yaml');
    const result = validateDocument(readDocument(file));
    expect(result.ok ? [] : result.problems).toEqual([
      {
        file,
        record: '(document)',
        field: '(document)',
        value: file,
        message: 'is not valid YAML or JSON: Map keys must be unique at line 4, column 3:\n\n  id: duplicate-key\n  id: duplicate-key-again\n  ^\n',
      },
    ]);
  });
});

describe('a document with several problems', () => {
  it('lists every one of them, not only the first', () => {
    const problems = problemsOf((d) => {
      d.source.sha256 = 'a'.repeat(64);
      entity(d, 'lithuania').subtype = 'UNION';
      fact(d, LITHUANIA_IN_NATO).object = 'otan';
      fact(d, RUPSYS_IS_CHOD).evidence[0].start = 220;
      fact(d, BELGIUM_JOINED_CRRT).status = 'ENDED';
    });
    expect(problems).toHaveLength(5);
    expect(problems).toContainEqual(expect.objectContaining({ record: 'source', field: 'sha256', value: 'a'.repeat(64) }));
    expect(problems).toContainEqual({
      file: 'bad.yaml',
      record: 'entity lithuania',
      field: 'subtype',
      value: 'UNION',
      message: 'is not a subtype of Country; allowed: STATE',
    });
    expect(problems).toContainEqual({
      file: 'bad.yaml',
      record: 'fact fact:member-of:lithuania:otan',
      field: 'object',
      value: 'otan',
      message: UNKNOWN_ENTITY,
    });
    expect(problems).toContainEqual(
      expect.objectContaining({ record: `fact ${RUPSYS_IS_CHOD}`, field: 'evidence[0].quote', message: expect.stringMatching(/the quote occurs at 219$/) }),
    );
    expect(problems).toContainEqual({
      file: 'bad.yaml',
      record: `fact ${BELGIUM_JOINED_CRRT}`,
      field: 'end',
      value: undefined,
      message: 'is required when status is ENDED',
    });
  });

  it('lists every shape problem too', () => {
    const problems = problemsOf((d) => {
      d.extra = true;
      entity(d, 'nato').kind = 'Alliance';
      fact(d, LITHUANIA_IN_NATO).status = 'MAYBE';
    });
    expect(problems.map((p) => `${p.record} ${p.field}`).sort()).toEqual([
      '(document) (document)',
      'entity nato kind',
      `fact ${LITHUANIA_IN_NATO} status`,
    ]);
  });

  it('lists the meaning problems of the other records when one record has the wrong shape', () => {
    const problems = problemsOf((d) => {
      fact(d, LITHUANIA_IN_NATO).status = 'MAYBE';
      fact(d, BELGIUM_JOINED_CRRT).subject = 'belgia';
      entity(d, 'nato').belongsTo = 'atlantis';
    });
    expect(problems.map((p) => `${p.record} ${p.field}`).sort()).toEqual([
      'entity nato belongsTo',
      `fact ${LITHUANIA_IN_NATO} status`,
      'fact fact:participates-in:belgia:crrts-and-mutual-assistance-in-cyber:participant subject',
    ]);
  });

  it('formats one line per problem: file, record, field, value, message', () => {
    const problems = problemsOf((d) => {
      fact(d, LITHUANIA_IN_NATO).subject = 'latvia';
      entity(d, 'nato').reference.iso3166 = 'NA';
    });
    expect(formatProblems(problems).split('\n')).toEqual([
      'bad.yaml: entity nato: reference.iso3166 = "NA": is only for entities of kind Country',
      `bad.yaml: fact fact:member-of:latvia:nato: subject = "latvia": ${UNKNOWN_ENTITY}`,
    ]);
  });
});

describe('partial dates', () => {
  describe('spanOf', () => {
    it.each([
      { value: '2004', precision: 'YEAR', earliest: '2004-01-01', latest: '2004-12-31' },
      { value: '2023-02', precision: 'MONTH', earliest: '2023-02-01', latest: '2023-02-28' },
      { value: '2024-02', precision: 'MONTH', earliest: '2024-02-01', latest: '2024-02-29' },
      { value: '1900-02', precision: 'MONTH', earliest: '1900-02-01', latest: '1900-02-28' },
      { value: '2000-02', precision: 'MONTH', earliest: '2000-02-01', latest: '2000-02-29' },
      { value: '2017-04', precision: 'MONTH', earliest: '2017-04-01', latest: '2017-04-30' },
      { value: '2023-12', precision: 'MONTH', earliest: '2023-12-01', latest: '2023-12-31' },
      { value: '2024-02-29', precision: 'DAY', earliest: '2024-02-29', latest: '2024-02-29' },
      { value: '2024-03-25', precision: 'DAY', earliest: '2024-03-25', latest: '2024-03-25' },
    ] as const)('$precision $value spans $earliest to $latest', ({ value, precision, earliest, latest }) => {
      expect(spanOf(value, precision)).toEqual({ earliest, latest });
    });

    it.each([
      { value: '23', precision: 'YEAR', reason: 'a YEAR date must look like YYYY' },
      { value: '2023-02', precision: 'YEAR', reason: 'a YEAR date must look like YYYY' },
      { value: '2023', precision: 'MONTH', reason: 'a MONTH date must look like YYYY-MM' },
      { value: '2023-02', precision: 'DAY', reason: 'a DAY date must look like YYYY-MM-DD' },
      { value: '2023-00', precision: 'MONTH', reason: 'the month must be 01 to 12' },
      { value: '2023-13', precision: 'MONTH', reason: 'the month must be 01 to 12' },
      { value: '2023-02-29', precision: 'DAY', reason: 'is not a day of the calendar' },
      { value: '2023-04-31', precision: 'DAY', reason: 'is not a day of the calendar' },
    ] as const)('$precision $value is refused: $reason', ({ value, precision, reason }) => {
      expect(spanOf(value, precision)).toBe(reason);
    });
  });

  describe('completeDate', () => {
    it('completes YEAR 2004 to the whole year', () => {
      expect(completeDate({ text: '2004', value: '2004', precision: 'YEAR' })).toEqual({
        text: '2004',
        value: '2004',
        precision: 'YEAR',
        earliest: '2004-01-01',
        latest: '2004-12-31',
      });
    });

    it('completes MONTH February 2024 to the 29th (a leap year)', () => {
      expect(completeDate({ text: 'February 2024', value: '2024-02', precision: 'MONTH' })).toEqual({
        text: 'February 2024',
        value: '2024-02',
        precision: 'MONTH',
        earliest: '2024-02-01',
        latest: '2024-02-29',
      });
    });

    it('completes MONTH February 2023 to the 28th, and accepts the derived bounds given explicitly', () => {
      expect(completeDate({ text: 'February 2023', value: '2023-02', precision: 'MONTH', earliest: '2023-02-01', latest: '2023-02-28' })).toEqual({
        text: 'February 2023',
        value: '2023-02',
        precision: 'MONTH',
        earliest: '2023-02-01',
        latest: '2023-02-28',
      });
    });

    it('keeps a DAY as one day', () => {
      expect(completeDate({ text: 'On March 25', value: '2024-03-25', precision: 'DAY' })).toEqual({
        text: 'On March 25',
        value: '2024-03-25',
        precision: 'DAY',
        earliest: '2024-03-25',
        latest: '2024-03-25',
      });
    });

    it('keeps the curator\'s bounds for RANGE "early 2017" (January to April)', () => {
      expect(
        completeDate({ text: 'early 2017', value: '2017', precision: 'RANGE', earliest: '2017-01-01', latest: '2017-04-30' }),
      ).toEqual({ text: 'early 2017', value: '2017', precision: 'RANGE', earliest: '2017-01-01', latest: '2017-04-30' });
    });

    it('accepts a RANGE whose value is the year of its latest day only ("winter 2016/17")', () => {
      expect(
        completeDate({ text: 'winter 2016/17', value: '2017', precision: 'RANGE', earliest: '2016-12-01', latest: '2017-02-28' }),
      ).toEqual({ text: 'winter 2016/17', value: '2017', precision: 'RANGE', earliest: '2016-12-01', latest: '2017-02-28' });
    });

    it('refuses a RANGE bound that is not a day of the calendar', () => {
      expect(completeDate({ text: 'early 2017', value: '2017', precision: 'RANGE', earliest: '2017-01-01', latest: '2017-04-31' })).toEqual([
        { field: 'latest', value: '2017-04-31', message: 'is not a day of the calendar' },
      ]);
    });

    it('refuses a RANGE without bounds, naming both', () => {
      expect(completeDate({ text: 'early 2017', value: '2017', precision: 'RANGE' })).toEqual([
        { field: 'earliest', value: undefined, message: 'is required when precision is RANGE' },
        { field: 'latest', value: undefined, message: 'is required when precision is RANGE' },
      ]);
    });

    it('refuses both given bounds when both disagree with the value', () => {
      expect(completeDate({ text: '2004', value: '2004', precision: 'YEAR', earliest: '2004-01-02', latest: '2004-12-30' })).toEqual([
        { field: 'earliest', value: '2004-01-02', message: 'must be 2004-01-01 for YEAR 2004 (or be left out)' },
        { field: 'latest', value: '2004-12-30', message: 'must be 2004-12-31 for YEAR 2004 (or be left out)' },
      ]);
    });
  });
});
