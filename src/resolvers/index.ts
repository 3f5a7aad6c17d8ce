/**
 * Resolvers: map arguments to loaders and data-access calls. No Cypher here; argument checks
 * (./args) run before any query. With the compiler on (ctx.compile), a root field runs its one
 * compiled query (src/db/compile) and each field below reads its answer from there first
 * (precomputed), else from its DataLoader. Types come from schema.graphql through GraphQL Code Generator.
 */
import { CountryCodeResolver, DateResolver, NonNegativeIntResolver, URLResolver } from 'graphql-scalars';
import { ACTOR_KINDS, networkFactTally, networkLinks, partnerLinks, partnerPage, shortestPaths, stats, type LinkRow, type RankedPartnerRow } from '../db/analysis';
import { countEntities, entityByIso, entityPage, luceneQuery, rankHits, searchEntities, subtypesNamed } from '../db/entities';
import {
  CLAIMS,
  COMPILED,
  childPosition,
  compileConnections,
  compileCountry,
  compileNetwork,
  compileNode,
  compilePartnerCounts,
  compileEntity,
  compileEntityPage,
  compilePartnerPage,
  compilePartners,
  compileSearch,
  compileSearchEvidence,
  compileSourcePage,
  compileTimeline,
  precomputed,
  readConnections,
  readEntity,
  readNetwork,
  readNode,
  readPartnerCounts,
  readPage,
  readPartnerPage,
  readPartners,
  readSearch,
  readSearchEvidence,
  readTimeline,
  responseKeys,
  type CompiledPartnerParts,
  type CompiledPartners,
  type CompiledPath,
  type Position,
} from '../db/compile';
import { claimsOfSource, countSources, datedFacts, searchEvidence, sourcePage } from '../db/facts';
import { anyFact, factFilter, inForceOn, passes, type FactFilter } from '../db/filters';
import { getNamedType, type GraphQLResolveInfo } from 'graphql';
import type { EntityFactRecord, FactTallyRow, PassageRecord } from '../db/facts';
import { claimRecord, type ClaimRecord, type EntityRecord, type EvidenceRecord, type FactRecord, type PartialDateRecord, type SourceRecord } from '../db/records';
import { CONFLICT_FIELDS, corroboration, deriveView, viewKnownOn, type Claim } from '../claims';
import { config } from '../config';
import { AppError, badInput, ErrorCode } from '../errors';
import { Gate } from '../gate';
import type { Context } from '../context';
import type { Loader } from '../loaders';
import type { NetworkModel, NetworkView, PartnershipConnectionModel, PartnershipModel, PathModel } from './models';
import type { Resolvers } from '../generated/graphql';
import { DOMAINS, ENTITY_KINDS, FACTUAL_STATUSES, internalValues, RELATION_TYPES, STATUSES, type Domain, type RelationType, type Status } from '../ontology';
import { factCounts, tallyOf } from './counts';
import { buildNetwork, groupPartnerships, partnershipSince, timelineEntries, toPaths } from './analysis';
import { asksFor, asksOnlyId } from './lookahead';
import { checkId, checkRange, checkSearchText, checkSubtypes, day, decodeCursor, decodePartnerCursor, decodeSourceCursor, encodeCursor, encodePartnerCursor, encodeSourceCursor, LIMITS } from './args';

/** One admission gate (src/gate.ts) per setting, made on first use and shared by all requests. */
type GateSetting = 'ANALYTICS_CONCURRENCY' | 'PARTNERS_CONCURRENCY';
const gates = new Map<GateSetting, Gate>();
function gate(setting: GateSetting): Gate {
  let found = gates.get(setting);
  if (!found) {
    found = new Gate(config()[setting]);
    gates.set(setting, found);
  }
  return found;
}

/** Admission for the analytics that scan the graph. */
const analytics = () => gate('ANALYTICS_CONCURRENCY');

/**
 * Admission for whole `partners` lists, whose size grows with the entity's partners (a hub's
 * is megabytes): a crowd asking for them is answered a few at a time, each within the query
 * timeout and with a bounded share of memory, instead of all at once and all late.
 */
const wholePartnerLists = () => gate('PARTNERS_CONCURRENCY');

function noEntity(argument: string, id: string): AppError {
  return new AppError(ErrorCode.NOT_FOUND, `Argument "${argument}": no entity has the id ${JSON.stringify(id)}.`, { argument, value: id });
}

async function requireEntity(ctx: Context, id: string, argument: string): Promise<EntityRecord> {
  const entity = await ctx.loaders.entity.load(checkId(argument, id));
  if (!entity) throw noEntity(argument, id);
  return entity;
}

/** What the field being resolved selects, for the query compiler (src/db/compile). */
function positionOf(info: GraphQLResolveInfo): Position {
  return { request: { schema: info.schema, fragments: info.fragments, variableValues: info.variableValues }, type: getNamedType(info.returnType), nodes: info.fieldNodes };
}

/** A value read from a compiled row: its record, and its nested answers when it has any. */
function withNested<T extends object>(record: T, row: Record<string, unknown>): T {
  const nested = row[COMPILED];
  return nested === undefined ? record : { ...record, [COMPILED]: nested };
}

/** A claim of a compiled row (its stored properties, as CLAIM_PROJECTION reads them). */
function claimOfRow(row: Record<string, unknown>): ClaimRecord {
  return withNested(claimRecord(row), row);
}

/** The subject of a compiled partners query: refused when no entity has the id, or when its kind has no partners. */
function requireCompiledSubject(found: { kind: string | null }, of: string): void {
  if (found.kind === null) throw noEntity('of', of);
  requirePartnerKind({ id: of, kind: found.kind as EntityRecord['kind'] });
}

/** Partners are found for countries, organisations and units; for any other kind an empty answer would mislead, so it is refused, naming the kinds served. */
function requirePartnerKind(subject: Pick<EntityRecord, 'id' | 'kind'>): void {
  if (!ACTOR_KINDS.includes(subject.kind)) {
    const kinds = ACTOR_KINDS.map((k) => k.toUpperCase());
    const served = `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
    throw badInput('of', `must name an entity of kind ${served}, the kinds that have partners`, `${subject.id} (${subject.kind.toUpperCase()})`);
  }
}

function countOf(counts: ReadonlyArray<{ key: string; count: number }>, key: string): number {
  return counts.find((c) => c.key === key)?.count ?? 0;
}

/** Records by id, loaded in one batch; ids that name nothing are left out. */
async function loadById<V extends { id: string }>(loader: Loader<V | null>, ids: readonly string[]): Promise<Map<string, V>> {
  const map = new Map<string, V>();
  for (const value of await loader.loadMany(ids)) if (value && !(value instanceof Error)) map.set(value.id, value);
  return map;
}

function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is referenced but missing`);
  return value;
}

/** A referenced entity: a plain value when already loaded (see Loader.get), else a promise. */
function entity(ctx: Context, id: string): EntityRecord | Promise<EntityRecord> {
  const found = ctx.loaders.entity.get(id);
  return found instanceof Promise ? found.then((e) => present(e, `Entity ${id}`)) : present(found, `Entity ${id}`);
}

/** A referenced source: a plain value when already loaded, else a promise. */
function source(ctx: Context, id: string): SourceRecord | Promise<SourceRecord> {
  const found = ctx.loaders.source.get(id);
  return found instanceof Promise ? found.then((s) => present(s, `Source ${id}`)) : present(found, `Source ${id}`);
}

/** Referenced facts in order, skipping any gone; plain values when all are loaded already. */
function facts(ctx: Context, ids: readonly string[]): FactRecord[] | Promise<FactRecord[]> {
  const values = ids.map((id) => ctx.loaders.fact.get(id));
  const keep = (list: Array<FactRecord | null>) => list.filter((f): f is FactRecord => f !== null);
  return values.some((v) => v instanceof Promise) ? Promise.all(values).then(keep) : keep(values as Array<FactRecord | null>);
}

/** A claim record as the derivation rule takes it. */
function asClaim(c: ClaimRecord): Claim {
  return c as unknown as Claim;
}

/** The claims a compiled fact came with (for knownOn, corroboration or conflicts), if it did. */
function compiledClaims(f: FactRecord): ClaimRecord[] | undefined {
  const rows = (f as unknown as Record<string, unknown>)[CLAIMS] as Array<Record<string, unknown>> | undefined;
  return rows?.map(claimOfRow);
}

/** A fact's claims as its reader sees them: with knownOn, only those of sources published by then. */
async function claimsOf(ctx: Context, f: FactRecord): Promise<ClaimRecord[]> {
  const all = compiledClaims(f) ?? (await ctx.loaders.claims.load(f.id));
  return known(f, all);
}

function known(f: FactRecord, claims: ClaimRecord[]): ClaimRecord[] {
  return f.knownOn ? claims.filter((c) => c.published <= f.knownOn!) : claims;
}

/** A fact as the sources published by `knownOn` told it (its claims' view), or null when none of them stated it. */
function factKnownOn(f: FactRecord, claims: ClaimRecord[] | null, knownOn: string): FactRecord | null {
  const view = claims ? viewKnownOn(claims.map(asClaim), knownOn) : null;
  if (!view) return null;
  const { status, title, domains, note, start, end, inForceFrom, inForceUntil } = view;
  return { ...f, status, title, domains, note, start, end, inForceFrom, inForceUntil, knownOn };
}

/**
 * Facts as the sources published by `knownOn` told them: each view derived from those claims
 * alone, by the rule the loader uses (src/claims.ts); facts no such source states are left out.
 */
async function asKnownOn(ctx: Context, facts: FactRecord[], knownOn: string | null): Promise<FactRecord[]> {
  if (knownOn === null) return facts;
  const claims = await ctx.loaders.claims.loadMany(facts.map((f) => f.id));
  return facts.flatMap((f, i) => {
    const list = claims[i];
    return factKnownOn(f, list instanceof Error || !list ? null : list, knownOn) ?? [];
  });
}

/** As asKnownOn, for compiled facts, which came with their claims. */
function compiledKnownOn(facts: FactRecord[], knownOn: string | null): FactRecord[] {
  if (knownOn === null) return facts;
  return facts.flatMap((f) => factKnownOn(f, compiledClaims(f) ?? null, knownOn) ?? []);
}

/** Facts by id, each as known on `knownOn` (see asKnownOn); the map itself when knownOn is null. */
async function knownOnById(ctx: Context, facts: Map<string, FactRecord>, knownOn: string | null): Promise<Map<string, FactRecord>> {
  return knownOn === null ? facts : byId(await asKnownOn(ctx, [...facts.values()], knownOn));
}

/** Compiled facts by id, each as known on `knownOn` (see compiledKnownOn). */
function compiledById(facts: FactRecord[], knownOn: string | null): Map<string, FactRecord> {
  return byId(compiledKnownOn(facts, knownOn));
}

function byId<T extends { id: string }>(records: T[]): Map<string, T> {
  return new Map(records.map((r) => [r.id, r]));
}

/** What a field resolver is told about its field: its response key is where precomputed() looks. */
type Info = GraphQLResolveInfo;

interface FactArgs {
  types?: RelationType[] | null;
  status?: Status[] | null;
  asOf?: Date | null;
  includeUnknown?: boolean | null;
  domain?: Domain | null;
  includeBodies?: boolean | null;
  knownOn?: Date | null;
}

function filterOf(args: FactArgs) {
  return factFilter({ status: args.status, asOf: day(args.asOf), includeUnknown: args.includeUnknown, domain: args.domain, knownOn: day(args.knownOn) });
}

const entityFields = {
  belongsTo: (e: EntityRecord, _: unknown, ctx: Context, info: Info) => {
    const compiled = precomputed<EntityRecord | null>(e, info);
    if (compiled !== undefined) return compiled;
    return e.belongsTo ? ctx.loaders.entity.get(e.belongsTo) : null;
  },
  members: (e: EntityRecord, _: unknown, ctx: Context, info: Info) => precomputed<EntityRecord[]>(e, info) ?? ctx.loaders.members.get(e.id),
  bodies: (e: EntityRecord, _: unknown, ctx: Context, info: Info) => precomputed<EntityRecord[]>(e, info) ?? ctx.loaders.members.get(e.id),
  memberEntities: (e: EntityRecord, args: FactArgs, ctx: Context, info: Info) => precomputed<EntityRecord[]>(e, info) ?? ctx.loaders.memberEntities(filterOf(args)).load(e.id),
  facts: async (e: EntityRecord, args: FactArgs, ctx: Context, info: Info) => {
    const filter = filterOf(args);
    const compiled = precomputed<FactRecord[]>(e, info);
    if (compiled !== undefined) return compiledKnownOn(compiled, filter.knownOn);
    return asKnownOn(ctx, await ctx.loaders.factsOfEntity(filter, args.types ?? null, args.includeBodies ?? false).load(e.id), filter.knownOn);
  },
  sources: async (e: EntityRecord, _: unknown, ctx: Context, info: Info) =>
    precomputed<SourceRecord[]>(e, info) ?? [...(await loadById(ctx.loaders.source, await ctx.loaders.sourcesOf.load(e.id))).values()],
  factCounts: async (e: EntityRecord, args: FactArgs, ctx: Context, info: Info) => {
    const filter = filterOf(args);
    const compiled = precomputed<FactTallyRow[]>(e, info);
    if (compiled !== undefined) return factCounts(compiled, filter);
    return factCounts(await ctx.loaders.factTally(filter, args.types ?? null, args.includeBodies ?? false).load(e.id), filter);
  },
};

/** An event's facts of any status: where its date and place come from. */
function eventFacts(e: EntityRecord, ctx: Context): Promise<FactRecord[]> {
  return ctx.loaders.factsOfEntity(anyFact(), null).load(e.id);
}

export const resolvers: Resolvers = {
  // The API spells these in capitals; resolvers take and give the code's values ('Country', 'status').
  EntityKind: internalValues(ENTITY_KINDS),
  ConflictField: internalValues(CONFLICT_FIELDS),
  Date: DateResolver,
  CountryCode: CountryCodeResolver,
  NonNegativeInt: NonNegativeIntResolver,
  URL: URLResolver,

  Query: {
    node: async (_, { id }, ctx, info) => {
      checkId('id', id);
      if (ctx.compile) {
        const found = await readNode(ctx.db, compileNode(positionOf(info), id));
        if (found.entity) return { ...found.entity, __typename: found.entity.kind as 'Country' };
        if (found.fact) return { ...found.fact, __typename: 'Fact' as const };
        return found.source ? { ...found.source, __typename: 'Source' as const } : null;
      }
      if (id.startsWith('fact:')) {
        const fact = await ctx.loaders.fact.load(id);
        return fact ? { ...fact, __typename: 'Fact' as const } : null;
      }
      const [found, source] = await Promise.all([ctx.loaders.entity.load(id), ctx.loaders.source.load(id)]);
      if (found) return { ...found, __typename: found.kind as 'Country' };
      return source ? { ...source, __typename: 'Source' as const } : null;
    },

    entity: (_, { id }, ctx, info) => {
      checkId('id', id);
      if (ctx.compile) return readEntity(ctx.db, compileEntity(positionOf(info), id));
      return ctx.loaders.entity.load(id);
    },

    country: (_, { code }, ctx, info) => {
      if (ctx.compile) return readEntity(ctx.db, compileCountry(positionOf(info), code.toUpperCase()));
      return entityByIso(ctx.db, code.toUpperCase());
    },

    search: async (_, { text, kinds, subtypes, first }, ctx, info) => {
      const query = checkSearchText(text);
      const limit = checkRange('first', first ?? 10, LIMITS.first);
      const kindLabels = kinds ?? null;
      const subtypeList = subtypes ? checkSubtypes(subtypes) : null;
      if (ctx.compile) {
        const search = { lucene: luceneQuery(query), named: subtypesNamed(query), kinds: kindLabels, subtypes: subtypeList, first: limit };
        if (search.lucene === null && search.named.length === 0) return [];
        const { hits, bySubtype } = await readSearch(ctx.db, compileSearch(positionOf(info), search));
        return rankHits(query, hits, bySubtype, limit);
      }
      const hits = await searchEntities(ctx.db, query, kinds ?? null, subtypes ? checkSubtypes(subtypes) : null, limit);
      for (const hit of hits) ctx.loaders.entity.prime(hit.entity.id, hit.entity);
      return hits;
    },

    searchEvidence: async (_, { text, first }, ctx, info) => {
      const lucene = luceneQuery(checkSearchText(text), { typos: true });
      const limit = checkRange('first', first ?? 10, LIMITS.first);
      if (lucene === null) return [];
      if (ctx.compile) {
        const position = positionOf(info);
        const [sourceKeys, factKeys] = [responseKeys(position, 'source'), responseKeys(position, 'facts')];
        return (await readSearchEvidence(ctx.db, compileSearchEvidence(position, lucene, limit))).map(({ sourceRecord, facts, ...hit }) => {
          const nested: Record<string, unknown> = {};
          for (const key of sourceKeys) nested[key] = sourceRecord;
          for (const key of factKeys) nested[key] = facts;
          return { ...hit, factIds: [...new Set(hit.evidence.map((e) => e.fact))].sort(), [COMPILED]: nested };
        });
      }
      const hits = await searchEvidence(ctx.db, lucene, limit);
      const factIds = [...new Set(hits.flatMap((hit) => hit.evidence.map((e) => e.fact)))];
      await Promise.all([ctx.loaders.fact.loadMany(factIds), ctx.loaders.source.loadMany([...new Set(hits.map((hit) => hit.source))])]);
      return hits.map((hit) => ({ ...hit, factIds: [...new Set(hit.evidence.map((e) => e.fact))].sort() }));
    },

    entities: async (_, { kind, first, after }, ctx, info) => {
      const limit = checkRange('first', first ?? 20, LIMITS.first);
      const afterId = after ? decodeCursor(after) : null;
      const label = kind ?? null;
      if (ctx.compile) {
        const { rows, total } = await readPage<EntityRecord>(ctx.db, compileEntityPage(positionOf(info), label, afterId ?? '', limit + 1));
        const page = rows.slice(0, limit);
        return { kind: label, edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })), hasNextPage: rows.length > limit, total };
      }
      const rows = await entityPage(ctx.db, label, afterId, limit);
      const page = rows.slice(0, limit);
      for (const e of page) ctx.loaders.entity.prime(e.id, e);
      return { kind: label, edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })), hasNextPage: rows.length > limit };
    },

    partners: (_, { of, domain, asOf, includeUnknown, status, knownOn }, ctx, info) => {
      // The arguments are checked before the turn is waited for: a refusal waits for nothing.
      checkId('of', of);
      const filter = factFilter({ status, asOf: day(asOf), includeUnknown, domain, knownOn: day(knownOn) });
      return wholePartnerLists().run(async () => {
        if (ctx.compile) {
          const position = positionOf(info);
          const found = await readPartners(ctx.db, compilePartners(position, of, filter));
          requireCompiledSubject(found, of);
          return compiledPartnerships(position, found, filter.knownOn);
        }
        // Two rounds to Neo4j, each of queries sent together: the entity and its links; then the
        // links' facts, partners and shared entities, and (when asked for) the facts' evidence.
        const [subject, rows] = await Promise.all([requireEntity(ctx, of, 'of'), partnerLinks(ctx.db, of, filter)]);
        requirePartnerKind(subject);
        const factIds = [...new Set(rows.flatMap((r) => r.factIds))];
        const entityIds = [...new Set(rows.flatMap((r) => (r.through ? [r.partner, r.through] : [r.partner])))];
        const wantsEvidence = asksFor(info, ['evidence']) || asksFor(info, ['links', 'facts', 'evidence']);
        const [facts] = await Promise.all([
          loadById(ctx.loaders.fact, factIds),
          ctx.loaders.entity.loadMany(entityIds),
          wantsEvidence ? ctx.loaders.evidence.loadMany(factIds) : null,
        ]);
        if (!filter.knownOn) return groupPartnerships(rows, facts);
        for (const f of await asKnownOn(ctx, [...facts.values()], filter.knownOn)) facts.set(f.id, f);
        const partnerships = groupPartnerships(rows, facts);
        for (const p of partnerships) for (const link of p.links) link.known = link.factIds.flatMap((id) => facts.get(id) ?? []);
        return partnerships;
      });
    },

    partnerships: async (_, { of, first, after, linksFirst, domain, asOf, includeUnknown, status, knownOn }, ctx, info) => {
      checkId('of', of);
      const limit = checkRange('first', first ?? 20, LIMITS.first);
      const shown = checkRange('linksFirst', linksFirst ?? 20, LIMITS.first);
      const afterKey = after ? decodePartnerCursor(after) : null;
      const filter = factFilter({ status, asOf: day(asOf), includeUnknown, domain, knownOn: day(knownOn) });
      if (ctx.compile) {
        const edges = childPosition(positionOf(info), 'edges');
        const node = edges && childPosition(edges, 'node');
        const found = await readPartnerPage(ctx.db, compilePartnerPage(node, of, filter, afterKey, limit + 1, shown));
        requireCompiledSubject(found, of);
        const facts = compiledById(found.facts, filter.knownOn);
        const page = rankedPartnerships(found.page, facts, shown);
        return partnerConnection(found.total, node ? withCompiled(node, page, found, facts) : page, limit);
      }
      const [subject, { total, page }] = await Promise.all([requireEntity(ctx, of, 'of'), partnerPage(ctx.db, of, filter, afterKey, limit + 1)]);
      requirePartnerKind(subject);
      const factIds = [...new Set(page.flatMap((row) => row.links.flatMap((link) => link.factIds)))];
      const entityIds = [...new Set(page.flatMap((row) => [row.partner, ...row.links.slice(0, shown).flatMap((link) => (link.through ? [link.through] : []))]))];
      const [today] = await Promise.all([loadById(ctx.loaders.fact, factIds), ctx.loaders.entity.loadMany(entityIds)]);
      // With knownOn, each fact as known then; those no source had stated yet are left out.
      const facts = await knownOnById(ctx, today, filter.knownOn);
      const partnerships = rankedPartnerships(page, facts, shown);
      if (filter.knownOn) for (const p of partnerships) for (const link of p.links) link.known = link.factIds.flatMap((id) => facts.get(id) ?? []);
      return partnerConnection(total, partnerships, limit);
    },

    partnerCounts: async (_, { of, domain, asOf, includeUnknown, status, knownOn }, ctx) => {
      checkId('of', of);
      const filter = factFilter({ status, asOf: day(asOf), includeUnknown, domain, knownOn: day(knownOn) });
      // Every possible link (any status, date or domain), then the filter applied to its facts
      // by the same rule as in Cypher: a link is kept when all of its facts are. With knownOn,
      // each fact as known then; those no source had stated yet are left out.
      let rows: Array<Pick<LinkRow, 'partner' | 'factIds'>>;
      let facts: Map<string, FactRecord>;
      if (ctx.compile) {
        const found = await readPartnerCounts(ctx.db, compilePartnerCounts(of, filter.knownOn));
        requireCompiledSubject(found, of);
        rows = found.rows;
        facts = compiledById(found.facts, filter.knownOn);
      } else {
        const [subject, links] = await Promise.all([requireEntity(ctx, of, 'of'), partnerLinks(ctx.db, of, anyFact())]);
        requirePartnerKind(subject);
        rows = links;
        const today = await loadById(ctx.loaders.fact, [...new Set(rows.flatMap((r) => r.factIds))]);
        facts = await knownOnById(ctx, today, filter.knownOn);
      }
      const all = new Set(rows.map((r) => r.partner));
      const kept = new Set(rows.filter((r) => r.factIds.every((id) => { const f = facts.get(id); return f !== undefined && passes(f, filter); })).map((r) => r.partner));
      return { shown: kept.size, hidden: all.size - kept.size, facts: factCounts(tallyOf(facts.values(), filter), filter) };
    },

    connections: async (_, { from, to, maxHops, status }, ctx, info) => {
      const hops = checkRange('maxHops', maxHops ?? 4, LIMITS.maxHops);
      checkId('from', from);
      checkId('to', to);
      if (ctx.compile) {
        const position = positionOf(info);
        const found = await readConnections(ctx.db, compileConnections(position, from, to, hops, factFilter({ status })));
        if (!found.fromFound) throw noEntity('from', from);
        if (!found.toFound) throw noEntity('to', to);
        return compiledPaths(position, found.paths);
      }
      if (from === to) {
        await Promise.all([requireEntity(ctx, from, 'from'), requireEntity(ctx, to, 'to')]);
        return [];
      }
      // The paths and the check that both entities exist go to Neo4j together.
      const [paths] = await Promise.all([
        shortestPaths(ctx.db, from, to, hops, factFilter({ status })),
        requireEntity(ctx, from, 'from'),
        requireEntity(ctx, to, 'to'),
      ]);
      return toPaths(paths);
    },

    timeline: async (_, args, ctx, info) => {
      const from = day(args.from);
      const to = day(args.to);
      if (from && to && from > to) throw new AppError(ErrorCode.BAD_USER_INPUT, `Argument "from" (${from}) is after "to" (${to}).`, { argument: 'from', value: from });
      const status = args.status && args.status.length > 0 ? args.status : [...STATUSES];
      if (ctx.compile) {
        const entity = args.entity ? checkId('entity', args.entity) : null;
        const found = await readTimeline(ctx.db, compileTimeline(positionOf(info), entity, status));
        if (!found.found) throw noEntity('entity', entity as string);
        return timelineEntries(found.facts, from, to);
      }
      if (args.entity) await requireEntity(ctx, args.entity, 'entity');
      const facts = await datedFacts(ctx.db, args.entity ?? null, status);
      for (const f of facts) ctx.loaders.fact.prime(f.id, f);
      return timelineEntries(facts, from, to);
    },

    cooperationNetwork: (_, { asOf, includeUnknown, domain, kinds, status, knownOn }, ctx, info) => analytics().run(async () => {
      const labels = kinds && kinds.length > 0 ? [...new Set(kinds)] : ['Country'];
      const filter = factFilter({ status, asOf: day(asOf), includeUnknown, domain, knownOn: day(knownOn) });
      if (ctx.compile) {
        const found = await readNetwork(ctx.db, compileNetwork(positionOf(info), labels, filter));
        const entities = found.entities && byId(found.entities);
        const facts = found.facts && compiledById(found.facts, filter.knownOn);
        // With no field of an entity asked, graphql-js reads none: records of their ids.
        const entityOf = entities ? (id: string) => present(entities.get(id) ?? null, `Entity ${id}`) : (id: string) => ({ id }) as EntityRecord;
        return networkModel(buildNetwork(found.rows), filter, entityOf, facts);
      }
      const network = buildNetwork(await networkLinks(ctx.db, labels, filter));
      // Every entity and fact the answer names, in one round (facts only if more than their
      // ids is asked for), then plain values for graphql-js to walk.
      const entityIds = new Set([...network.nodes.map((n) => n.entity), ...network.edges.flatMap((e) => e.shared)]);
      const factIds = [...new Set(network.edges.flatMap((e) => e.direct))];
      const factsNeeded = asksFor(info, ['edges', 'direct']) && !asksOnlyId(info, ['edges', 'direct']);
      const [entities, facts] = await Promise.all([loadById(ctx.loaders.entity, [...entityIds]), factsNeeded ? loadById(ctx.loaders.fact, factIds) : null]);
      if (facts && filter.knownOn) for (const f of await asKnownOn(ctx, [...facts.values()], filter.knownOn)) facts.set(f.id, f);
      return networkModel(network, filter, (id) => present(entities.get(id) ?? null, `Entity ${id}`), facts);
    }),

    sources: async (_, { first, after }, ctx, info) => {
      const limit = checkRange('first', first ?? 20, LIMITS.first);
      if (ctx.compile) {
        const { rows, total } = await readPage<SourceRecord>(ctx.db, compileSourcePage(positionOf(info), after ? decodeSourceCursor(after) : null, limit + 1));
        const page = rows.slice(0, limit);
        return { edges: page.map((node) => ({ cursor: encodeSourceCursor(node.id), node })), hasNextPage: rows.length > limit, total };
      }
      const rows = await sourcePage(ctx.db, after ? decodeSourceCursor(after) : null, limit);
      const page = rows.slice(0, limit);
      for (const s of page) ctx.loaders.source.prime(s.id, s);
      return { edges: page.map((node) => ({ cursor: encodeSourceCursor(node.id), node })), hasNextPage: rows.length > limit };
    },

    stats: (_, __, ctx) => analytics().run(() => stats(ctx.db)),
  },

  Node: {
    __resolveType: (node) => (node as unknown as { __typename: 'Fact' }).__typename,
  },
  Entity: {
    __resolveType: (e) => e.kind as 'Country',
  },
  Country: { ...entityFields, code: (e) => e.iso3166 ?? '' },
  Organisation: entityFields,
  Unit: entityFields,
  Initiative: entityFields,
  Person: entityFields,
  Event: {
    ...entityFields,
    date: async (e, _, ctx, info) => {
      const starts = precomputed<PartialDateRecord[]>(e, info) ?? (await eventFacts(e, ctx)).flatMap((f) => (f.start ? [f.start] : []));
      return starts.reduce<(typeof starts)[number] | null>((best, d) => (best === null || d.earliest < best.earliest ? d : best), null);
    },
    place: async (e, _, ctx, info) => {
      const compiled = precomputed<Array<{ type: string; entity: EntityRecord }>>(e, info);
      if (compiled !== undefined) {
        const located = compiled.find((c) => c.type === 'LOCATED_IN');
        if (located) return located.entity;
        const hosts = compiled.filter((c) => c.type === 'HOSTS').map((c) => c.entity);
        return hosts.find((h) => h.kind === 'Place') ?? hosts[0] ?? null;
      }
      const facts = await eventFacts(e, ctx);
      const located = facts.find((f) => f.type === 'LOCATED_IN' && f.subject === e.id);
      if (located) return entity(ctx, located.object);
      const hosts = await Promise.all(facts.filter((f) => f.type === 'HOSTS' && f.object === e.id).map((f) => entity(ctx, f.subject)));
      return hosts.find((h) => h.kind === 'Place') ?? hosts[0] ?? null;
    },
  },
  Place: entityFields,

  Fact: {
    subject: (f, _, ctx, info) => precomputed<EntityRecord>(f, info) ?? entity(ctx, f.subject),
    object: (f, _, ctx, info) => precomputed<EntityRecord>(f, info) ?? entity(ctx, f.object),
    isFactual: (f) => FACTUAL_STATUSES.includes(f.status),
    validity: (f) => f,
    evidence: (f, _, ctx, info) => precomputed<EvidenceRecord[]>(f, info) ?? ctx.loaders.evidence.get(f.id),
    claims: (f, _, ctx, info) => {
      const compiled = precomputed<Array<Record<string, unknown>>>(f, info);
      return compiled !== undefined ? known(f, compiled.map(claimOfRow)) : claimsOf(ctx, f);
    },
    corroboration: async (f, _, ctx) => corroboration((await claimsOf(ctx, f)).map(asClaim)),
    conflicts: async (f, _, ctx) => {
      const claims = await claimsOf(ctx, f);
      if (claims.length === 0) return [];
      return deriveView(claims.map(asClaim)).conflicts;
    },
    inForceOn: (f, { day: on }) => inForceOn(f, day(on) as string),
    viaBody: (f, _, ctx, info) => {
      const compiled = precomputed<EntityRecord | null>(f, info);
      if (compiled !== undefined) return compiled;
      const via = (f as EntityFactRecord).viaBody;
      return via ? entity(ctx, via) : null;
    },
  },
  Claim: {
    fact: (c, _, ctx, info) => {
      const compiled = precomputed<FactRecord>(c, info);
      if (compiled !== undefined) return compiled;
      const fact = ctx.loaders.fact.get(c.fact);
      return fact instanceof Promise ? fact.then((f) => present(f, `Fact ${c.fact}`)) : present(fact, `Fact ${c.fact}`);
    },
    source: (c, _, ctx, info) => precomputed<SourceRecord>(c, info) ?? source(ctx, c.source),
    isFactual: (c) => FACTUAL_STATUSES.includes(c.status),
    validity: (c) => c,
    evidence: async (c, _, ctx, info) => precomputed<EvidenceRecord[]>(c, info) ?? (await ctx.loaders.evidence.load(c.fact)).filter((e) => e.source === c.source),
  },
  Conflict: {
    sources: (c, _, ctx) => Promise.all(c.sources.map((id) => source(ctx, id))),
  },
  Source: {
    notes: (s) => Object.entries(s.notes ? (JSON.parse(s.notes) as Record<string, string>) : {}).map(([key, value]) => ({ key, value })),
    factCount: (s) => s.factCount ?? 0,
    entityCount: (s) => s.entityCount ?? 0,
    claims: (s, { first, after }, ctx, info) => {
      const limit = checkRange('first', first ?? 100, LIMITS.first);
      const compiled = precomputed<Array<Record<string, unknown>>>(s, info);
      if (compiled !== undefined) return compiled.map(claimOfRow);
      return claimsOfSource(ctx.db, s.id, after ?? null, limit);
    },
    passages: async (source, _, ctx, info) => {
      const compiled = precomputed<PassageRecord[]>(source, info);
      if (compiled !== undefined) return compiled;
      const list = await ctx.loaders.passages.load(source.id);
      // Their facts in one batch, so that each passage's list is plain values.
      await ctx.loaders.fact.loadMany([...new Set(list.flatMap((p) => p.factIds))]);
      return list;
    },
  },
  SourceConnection: {
    totalCount: (connection, __, ctx) => connection.total ?? countSources(ctx.db),
    pageInfo: (connection) => ({ hasNextPage: connection.hasNextPage, endCursor: connection.edges.at(-1)?.cursor ?? null }),
  },
  Validity: {
    start: (f) => f.start,
    end: (f) => f.end,
    inForceFrom: (f) => f.inForceFrom,
    inForceUntil: (f) => f.inForceUntil,
  },
  Evidence: {
    source: (e, _, ctx, info) => precomputed<SourceRecord>(e, info) ?? source(ctx, e.source),
  },

  Passage: {
    facts: (passage, _, ctx, info) => precomputed<FactRecord[]>(passage, info) ?? facts(ctx, passage.factIds),
  },
  SearchHit: {
    entity: (hit) => hit.entity,
  },
  EvidenceHit: {
    source: (hit, _, ctx, info) => {
      const compiled = precomputed<SourceRecord>(hit, info);
      if (compiled !== undefined) return compiled;
      const source = ctx.loaders.source.get(hit.source);
      return source instanceof Promise ? source.then((s) => present(s, `Source ${hit.source}`)) : present(source, `Source ${hit.source}`);
    },
    facts: (hit, _, ctx, info) => precomputed<FactRecord[]>(hit, info) ?? facts(ctx, hit.factIds),
  },
  PartnershipConnection: {
    totalCount: (connection) => connection.total,
    pageInfo: (connection) => ({ hasNextPage: connection.hasNextPage, endCursor: connection.edges.at(-1)?.cursor ?? null }),
  },
  EntityConnection: {
    totalCount: (connection, _, ctx) => connection.total ?? countEntities(ctx.db, connection.kind),
    pageInfo: (connection) => ({ hasNextPage: connection.hasNextPage, endCursor: connection.edges.at(-1)?.cursor ?? null }),
  },

  Partnership: {
    partner: (p, _, ctx, info) => precomputed<EntityRecord>(p, info) ?? entity(ctx, p.partner),
    domains: (p) => [...new Set(p.facts.flatMap((f) => f.domains))].sort(),
    statuses: (p) => [...new Set(p.facts.map((f) => f.status))].sort(),
    linkCount: (p) => allLinksOf(p).length,
    since: (p) => partnershipSince({ ...p, links: allLinksOf(p) }, new Map(p.facts.map((f) => [f.id, f]))).since,
    inForceFrom: (p) => partnershipSince({ ...p, links: allLinksOf(p) }, new Map(p.facts.map((f) => [f.id, f]))).inForceFrom,
    evidence: async (p, _, ctx, info) =>
      precomputed<EvidenceRecord[]>(p, info) ?? (await ctx.loaders.evidence.loadMany(p.facts.map((f) => f.id))).flatMap((list) => (list instanceof Error ? [] : list)),
  },
  PartnerLink: {
    through: (link, _, ctx, info) => {
      const compiled = precomputed<EntityRecord | null>(link, info);
      if (compiled !== undefined) return compiled;
      return link.through ? entity(ctx, link.through) : null;
    },
    facts: (link, _, ctx, info) => precomputed<FactRecord[]>(link, info) ?? link.known ?? facts(ctx, link.factIds),
  },
  Path: {
    length: (path) => path.hops.length,
  },
  Network: {
    factCounts: async (network, _, ctx) => factCounts(await networkFactTally(ctx.db, network.filter), network.filter),
  },
  Stats: {
    entityCounts: (row) => ENTITY_KINDS.map((kind) => ({ kind, count: countOf(row.entitiesByKind, kind) })),
    factCountsByType: (row) => RELATION_TYPES.map((type) => ({ type, count: countOf(row.factsByType, type) })),
    factCountsByStatus: (row) => STATUSES.map((status) => ({ status, count: countOf(row.factsByStatus, status) })),
    factCountsByDomain: (row) => DOMAINS.map((domain) => ({ domain, count: countOf(row.factsByDomain, domain) })),
  },
  Hop: {
    from: (hop, _, ctx, info) => precomputed<EntityRecord>(hop, info) ?? entity(ctx, hop.from),
    to: (hop, _, ctx, info) => precomputed<EntityRecord>(hop, info) ?? entity(ctx, hop.to),
    fact: (hop, _, ctx, info) => {
      const compiled = precomputed<FactRecord | null>(hop, info);
      if (compiled !== undefined) return compiled;
      return hop.factId ? ctx.loaders.fact.get(hop.factId) : null;
    },
  },
};

/** Compiled paths as hops (toPaths), each hop with its ends and fact under the keys its selection reads them by. */
function compiledPaths(position: Position, paths: CompiledPath[]) {
  const hop = childPosition(position, 'hops');
  const keys = hop ? { from: responseKeys(hop, 'from'), to: responseKeys(hop, 'to'), fact: responseKeys(hop, 'fact') } : { from: [], to: [], fact: [] };
  return paths.map((path) => {
    const [model] = toPaths([{ nodes: path.nodes.map((n) => n.id), rels: path.rels }]);
    const hops = (model as PathModel).hops.map((h, i) => {
      const nested: Record<string, unknown> = {};
      for (const key of keys.from) nested[key] = path.nodes[i];
      for (const key of keys.to) nested[key] = path.nodes[i + 1];
      for (const key of keys.fact) nested[key] = path.rels[i]?.fact ?? null;
      return { ...h, [COMPILED]: nested };
    });
    return { hops };
  });
}

/**
 * Compiled partner links as partnerships (groupPartnerships, as uncompiled), each with its
 * partner and evidence, and each link with its shared entity and facts, under the keys its
 * selection reads them by. With knownOn, the facts as known that day (those no source had
 * stated yet left out).
 */
function compiledPartnerships(position: Position, found: CompiledPartners, knownOn: string | null): PartnershipModel[] {
  const facts = compiledById(found.facts, knownOn);
  return withCompiled(position, groupPartnerships(found.rows, facts), found, facts);
}

/** All the links of a partnership, shown or not. */
function allLinksOf(p: PartnershipModel): PartnershipModel['links'] {
  return p.allLinks ?? p.links;
}

/** Ranked partner rows (PARTNER_PAGE) as partnerships showing their first `linksFirst` links. */
function rankedPartnerships(page: RankedPartnerRow[], facts: Map<string, FactRecord>, linksFirst: number): PartnershipModel[] {
  return page.map((row) => {
    const ids = [...new Set(row.links.flatMap((link) => link.factIds))];
    return { partner: row.partner, links: row.links.slice(0, linksFirst), allLinks: row.links, facts: ids.flatMap((id) => facts.get(id) ?? []) };
  });
}

/** Partnerships with their compiled partner and evidence, and their links with their shared entity and facts (`facts`, as read), by response key. */
function withCompiled(position: Position, partnerships: PartnershipModel[], found: CompiledPartnerParts, facts: Map<string, FactRecord>): PartnershipModel[] {
  const entities = byId(found.entities);
  const evidence = new Map<string, EvidenceRecord[]>();
  for (const e of found.evidence) {
    const list = evidence.get(e.fact);
    if (list) list.push(e);
    else evidence.set(e.fact, [e]);
  }
  const links = childPosition(position, 'links');
  const keys = {
    partner: responseKeys(position, 'partner'),
    evidence: responseKeys(position, 'evidence'),
    through: links ? responseKeys(links, 'through') : [],
    facts: links ? responseKeys(links, 'facts') : [],
  };
  return partnerships.map((p) => {
    const nested: Record<string, unknown> = {};
    for (const key of keys.partner) nested[key] = entities.get(p.partner) ?? null;
    for (const key of keys.evidence) nested[key] = p.facts.flatMap((f) => evidence.get(f.id) ?? []);
    return {
      ...p,
      links: p.links.map((link) => {
        const below: Record<string, unknown> = {};
        for (const key of keys.through) below[key] = link.through === null ? null : (entities.get(link.through) ?? null);
        for (const key of keys.facts) below[key] = link.factIds.flatMap((id) => facts.get(id) ?? []);
        return { ...link, [COMPILED]: below };
      }),
      [COMPILED]: nested,
    };
  });
}

/**
 * The network as served: each node's and edge's entities from `entity`, and the direct facts
 * from `facts` (null when only their ids are asked: records of their ids).
 */
function networkModel(network: NetworkModel, filter: FactFilter, entity: (id: string) => EntityRecord, facts: Map<string, FactRecord> | null): NetworkView {
  return {
    filter,
    nodes: network.nodes.map((n) => ({ ...n, entity: entity(n.entity) })),
    edges: network.edges.map((e) => ({
      source: e.source,
      target: e.target,
      weight: e.shared.length + e.direct.length,
      shared: e.shared.map(entity),
      direct: facts ? e.direct.flatMap((id) => facts.get(id) ?? []) : e.direct.map((id) => ({ id }) as FactRecord),
    })),
  };
}

/** A page of partnerships as the connection's model: `rows` holds one more than the page when there is a next. */
function partnerConnection(total: number, rows: PartnershipModel[], limit: number): PartnershipConnectionModel {
  const page = rows.slice(0, limit);
  return {
    total,
    edges: page.map((node) => ({ cursor: encodePartnerCursor({ n: allLinksOf(node).length, id: node.partner }), node })),
    hasNextPage: rows.length > limit,
  };
}
