/**
 * Reference data that is not a claim of any source: countries with their ISO 3166 codes, common
 * and official names and English demonyms (from the world-countries package), and the few
 * international organisations that defence releases name most. Known to every extraction, even
 * with an empty graph; an entity of the graph with the same ISO code or id takes precedence.
 */
import countries from 'world-countries';
import type { KnownEntity } from './gazetteer';
import { slug } from './text';

const ORGANISATIONS: KnownEntity[] = [
  { id: 'nato', kind: 'Organisation', subtype: 'ALLIANCE', name: 'North Atlantic Treaty Organization', aliases: ['NATO'], forms: ['North Atlantic Alliance'], reference: { wikidata: 'Q7184' }, origin: 'reference' },
  { id: 'eu', kind: 'Organisation', subtype: 'UNION', name: 'European Union', aliases: ['EU'], forms: [], origin: 'reference' },
  { id: 'united-nations', kind: 'Organisation', name: 'United Nations', aliases: ['UN'], forms: [], origin: 'reference' },
  { id: 'osce', kind: 'Organisation', name: 'Organization for Security and Co-operation in Europe', aliases: ['OSCE'], forms: [], origin: 'reference' },
  { id: 'african-union', kind: 'Organisation', subtype: 'UNION', name: 'African Union', aliases: [], forms: [], origin: 'reference' },
];

let cached: KnownEntity[] | undefined;

export function referenceEntities(): KnownEntity[] {
  if (cached) return cached;
  const states: KnownEntity[] = countries
    .filter((c) => c.independent !== false && /^[A-Z]{2}$/.test(c.cca2))
    .map((c) => {
      const demonyms = [c.demonyms?.eng?.m, c.demonyms?.eng?.f].filter((d): d is string => Boolean(d));
      return {
        id: slug(c.name.common),
        kind: 'Country' as const,
        subtype: 'STATE',
        name: c.name.common,
        aliases: [],
        forms: [...new Set([c.name.official, ...demonyms].filter((form) => form !== c.name.common))],
        reference: { iso3166: c.cca2 },
        origin: 'reference' as const,
      };
    });
  cached = [...states, ...ORGANISATIONS];
  return cached;
}
