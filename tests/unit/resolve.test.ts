/** Duplicate candidates before a load (src/ingest/resolve.ts), without a database. */
import { foldName, resolveEntities, type StoredName } from '../../src/ingest/resolve';

const stored: StoredName[] = [
  { id: 'valdemaras-rupsys', kind: 'Person', name: 'Valdemaras Rupšys', aliases: ['General Valdemaras Rupšys'], wikidata: null, iso3166: null },
  { id: 'belgium', kind: 'Country', name: 'Belgium', aliases: ['Kingdom of Belgium', 'Belgian', 'Belgium’s'], wikidata: 'Q31', iso3166: 'BE' },
  { id: 'nato', kind: 'Organisation', name: 'North Atlantic Treaty Organization', aliases: ['NATO'], wikidata: 'Q7184', iso3166: null },
];

describe('foldName', () => {
  it.each([
    ['Lt Gen Valdemaras Rupšys', 'valdemaras rupsys'],
    ['General Valdemaras Rupšys', 'valdemaras rupsys'],
    ['VALDEMARAS RUPSYS', 'valdemaras rupsys'],
    ['Belgium’s', 'belgium'],
    ['Adm. Michel Hofman', 'michel hofman'],
    ['N.A.T.O.', 'n a t o'],
  ])('folds %j to %j', (name, folded) => {
    expect(foldName(name)).toBe(folded);
  });
});

describe('resolveEntities', () => {
  it('finds a person under another id by the folded name, titles and accents set aside', () => {
    const [r] = resolveEntities([{ id: 'rupsys', kind: 'Person', name: 'Lt Gen Valdemaras Rupsys', aliases: [] }], stored);
    expect(r).toEqual({ entity: 'rupsys', candidates: [{ id: 'valdemaras-rupsys', kind: 'Person', name: 'Valdemaras Rupšys', reasons: ['name "valdemaras rupsys"'] }] });
  });

  it('finds a country by its Wikidata and ISO ids and its name, most reasons first', () => {
    const [r] = resolveEntities([{ id: 'kingdom-of-belgium', kind: 'Country', name: 'Kingdom of Belgium', aliases: [], reference: { wikidata: 'Q31', iso3166: 'BE' } }], stored);
    expect(r?.candidates).toEqual([{ id: 'belgium', kind: 'Country', name: 'Belgium', reasons: ['wikidata Q31', 'iso3166 BE', 'name "kingdom of belgium"'] }]);
  });

  it('says when the id is the same, and finds nothing for a new entity', () => {
    const rs = resolveEntities(
      [
        { id: 'nato', kind: 'Organisation', name: 'NATO', aliases: [] },
        { id: 'estonia', kind: 'Country', name: 'Estonia', aliases: [] },
      ],
      stored,
    );
    expect(rs).toEqual([
      { entity: 'nato', candidates: [{ id: 'nato', kind: 'Organisation', name: 'North Atlantic Treaty Organization', reasons: ['same id', 'name "nato"'] }] },
      { entity: 'estonia', candidates: [] },
    ]);
  });
});
