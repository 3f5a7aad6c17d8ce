/** Export formats without a database: XML and CSV escaping, and option checks. */
import { XMLParser } from 'fast-xml-parser';
import type { ExportFactRecord } from '../../src/db/export';
import type { EntityRecord } from '../../src/db/records';
import { csvField, toCsv } from '../../src/export/csv';
import { toGraphml, xmlAttribute, xmlText } from '../../src/export/graphml';
import { checkExportOptions, ExportOptionError } from '../../src/export/options';
import { NODE_COLUMNS } from '../../src/export/table';

const awkward = 'A & B <"quoted"> \'single\' ]]> tab\there\r\nline \u0001 end 😀';

function entity(id: string, name: string): EntityRecord {
  return { id, kind: 'Country', subtype: null, name, aliases: ['x,y', 'z'], referenceAliases: [], iso3166: null, wikidata: null, belongsTo: null };
}

describe('GraphML escaping', () => {
  it('escapes markup and replaces characters XML 1.0 cannot hold', () => {
    expect(xmlText('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    expect(xmlAttribute('"x"\n')).toBe('&quot;x&quot;&#10;');
    expect(xmlText('\u0001\uD800ok')).toBe('\uFFFD\uFFFDok');
  });

  it('round-trips awkward names and ids through an XML parser', () => {
    const fact: ExportFactRecord = {
      id: 'fact:<&>', type: 'COOPERATES_WITH', subject: 'a"1', object: "b'2", role: null, title: null, status: 'ACTIVE', domains: [], note: awkward,
      start: null, end: null, inForceFrom: null, inForceUntil: null, evidence: [],
    };
    const xml = toGraphml([entity('a"1', awkward), entity("b'2", 'B')], [fact], awkward);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, trimValues: false, htmlEntities: true }).parse(xml);
    const nodes = doc.graphml.graph.node;
    expect(nodes[0]['@_id']).toBe('a"1');
    const expected = awkward.replace('\u0001', '\uFFFD');
    expect(nodes[0].data.find((d: { '@_key': string }) => d['@_key'] === 'n2')['#text']).toBe(expected);
    expect(doc.graphml.graph.edge['@_id']).toBe('fact:<&>');
    expect(doc.graphml.graph.edge['@_target']).toBe("b'2");
  });
});

describe('CSV', () => {
  it('quotes only fields that need it, doubling quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
  });

  it('ends every record with CRLF, header first', () => {
    expect(toCsv(NODE_COLUMNS, [entity('x', 'X, Y')])).toBe(
      'id,kind,subtype,name,aliases,referenceAliases,iso3166,wikidata,belongsTo\r\nx,Country,,"X, Y","x,y;z",,,,\r\n',
    );
  });
});

describe('export options', () => {
  it('accepts kinds and statuses in any case, as lists', () => {
    expect(checkExportOptions({ format: 'GraphML', kinds: 'unit, COUNTRY', status: ['planned', 'ACTIVE'], domain: 'land', asOf: '2024-02-29' })).toEqual({
      format: 'graphml', kinds: ['Country', 'Unit'], status: ['ACTIVE', 'PLANNED'], domain: 'LAND', asOf: '2024-02-29', includeUnknown: false,
    });
  });

  it('takes includeUnknown as a flag or as the text true or false, and names it when it is neither', () => {
    expect(checkExportOptions({ format: 'json', asOf: '2016-06-01', includeUnknown: true }).includeUnknown).toBe(true);
    expect(checkExportOptions({ format: 'json', includeUnknown: 'TRUE' }).includeUnknown).toBe(true);
    expect(checkExportOptions({ format: 'json', includeUnknown: 'false' }).includeUnknown).toBe(false);
    expect(checkExportOptions({ format: 'json' }).includeUnknown).toBe(false);
    expect(() => checkExportOptions({ format: 'json', includeUnknown: 'yes' }, { includeUnknown: 'includeUnknown' })).toThrow(
      new ExportOptionError('includeUnknown', 'must be true or false', 'yes'),
    );
    expect(() => checkExportOptions({ format: 'json', includeUnknown: 'yes' })).toThrow('Option includeUnknown must be true or false; got "yes".');
  });

  it('names the option as the adapter calls it', () => {
    expect(() => checkExportOptions({ format: 'json', asOf: '2023-02-29' }, { asOf: '--as-of' })).toThrow(
      new ExportOptionError('asOf', 'must be a calendar day written YYYY-MM-DD', '2023-02-29', '--as-of'),
    );
    expect(() => checkExportOptions({ format: 'pdf' }, { format: '--format' })).toThrow(
      'Option --format must be one of graphml, json, csv-nodes, csv-edges; got "pdf".',
    );
  });
});
