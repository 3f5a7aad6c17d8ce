/** The details panel: an entity with its facts in view, a fact with its dates and evidence, or paths. */
import type { Entity, EntityRef, Evidence, Fact, PartialDate, Path } from './api';
import { h, words } from './dom';
import { KIND_STYLE } from './style';

export interface DetailsActions {
  selectFact(id: string): void;
  selectEntity(id: string): void;
  expand(id: string): void;
}

function date(d: PartialDate | null): string {
  if (!d) return 'not given';
  const span = d.earliest === d.latest ? d.earliest : `${d.earliest} to ${d.latest}`;
  return `“${d.text}” (${words(d.precision)}: ${span})`;
}

function statusBadge(fact: Fact): HTMLElement {
  return h('span', { class: `badge ${fact.isFactual ? 'fact' : 'plan'}` }, fact.isFactual ? fact.status : `${fact.status} · not a fact`);
}

function factLine(fact: Fact): string {
  const role = fact.role ? ` (as ${words(fact.role)})` : '';
  const since = fact.validity.start ? `, from ${fact.validity.start.text}` : '';
  return `${fact.subject.name} ${words(fact.type)} ${fact.object.name}${role}${since}`;
}

function sourceLink(e: Evidence): HTMLElement {
  return h(
    'p',
    { class: 'cite' },
    '— ',
    h('a', { href: e.source.url, target: '_blank', rel: 'noopener noreferrer' }, e.source.title),
    ` (${e.source.publisher}; characters ${e.start}–${e.end})`,
  );
}

/** The source reader at this passage: the release's text, the passage marked, with its facts. */
export function readerHref(e: Pick<Evidence, 'start' | 'end'> & { source: { id: string } }): string {
  return `/explorer/source/${encodeURIComponent(e.source.id)}#${e.start}-${e.end}`;
}

function quote(e: Evidence): HTMLElement {
  return h(
    'figure',
    { class: 'evidence' },
    h('blockquote', { cite: e.source.url }, e.quote),
    h('figcaption', {}, sourceLink(e), h('p', { class: 'cite' }, h('a', { href: readerHref(e), class: 'read-in-source' }, 'Read it in the source, with every passage marked'))),
  );
}

function row(term: string, value: Node | string | null): HTMLElement[] {
  return value === null || value === '' ? [] : [h('dt', {}, term), h('dd', {}, value)];
}

export function factDetails(fact: Fact, actions: DetailsActions): HTMLElement[] {
  const v = fact.validity;
  return [
    h('h2', {}, 'Fact'),
    h(
      'p',
      { class: 'triple' },
      h('button', { type: 'button', class: 'link', onclick: () => actions.selectEntity(fact.subject.id) }, fact.subject.name),
      ` ${words(fact.type)} `,
      h('button', { type: 'button', class: 'link', onclick: () => actions.selectEntity(fact.object.id) }, fact.object.name),
    ),
    h(
      'dl',
      {},
      ...row('Status', statusBadge(fact)),
      ...row('Relationship', fact.type),
      ...row('Role', fact.role),
      ...row('Title', fact.title),
      ...row('Domains', fact.domains.length > 0 ? fact.domains.join(', ') : 'none given'),
      ...row('Start', date(v.start)),
      ...row('End', v.end ? date(v.end) : 'not ended, or not said'),
      ...row('In force from', v.inForceFrom ?? 'not in force (a plan)'),
      ...row('In force until', v.inForceUntil),
      ...row('Note', fact.note),
    ),
    h('h3', {}, fact.evidence.length === 1 ? 'Evidence' : `Evidence (${fact.evidence.length})`),
    ...fact.evidence.map(quote),
    h('p', { class: 'id' }, `id ${fact.id}`),
  ];
}

export function entityDetails(entity: Entity | EntityRef, facts: Fact[], actions: DetailsActions): HTMLElement[] {
  const full = 'aliases' in entity ? (entity as Entity) : null;
  const style = KIND_STYLE[entity.kind];
  const mine = facts.filter((f) => f.subject.id === entity.id || f.object.id === entity.id).sort((a, b) => factLine(a).localeCompare(factLine(b)));
  const quotes = new Map<string, { evidence: Evidence; facts: Fact[] }>();
  for (const fact of mine) {
    for (const e of fact.evidence) {
      const key = `${e.source.id}:${e.start}:${e.end}`;
      const entry = quotes.get(key) ?? { evidence: e, facts: [] };
      entry.facts.push(fact);
      quotes.set(key, entry);
    }
  }
  const aliases = full ? [...full.aliases, ...full.referenceAliases] : [];
  return [
    h('h2', {}, entity.name),
    h(
      'dl',
      {},
      ...row('Kind', `${style?.label ?? entity.kind}${full?.subtype ? ` (${words(full.subtype)})` : ''}`),
      ...row('Also called', aliases.length > 0 ? aliases.join(', ') : null),
      ...row('Belongs to', full?.belongsTo ? h('button', { type: 'button', class: 'link', onclick: () => actions.expand(full.belongsTo!.id) }, full.belongsTo.name) : null),
      ...row('Wikidata', full?.wikidata ?? null),
    ),
    h('button', { type: 'button', onclick: () => actions.expand(entity.id) }, `Show the connections of ${entity.name}`),
    h('h3', {}, `Facts in view (${mine.length})`),
    mine.length === 0
      ? h('p', { class: 'hint' }, 'None with the current filters.')
      : h(
          'ul',
          { class: 'facts' },
          ...mine.map((f) =>
            h('li', {}, h('button', { type: 'button', class: `link ${f.isFactual ? '' : 'plan-text'}`, onclick: () => actions.selectFact(f.id) }, factLine(f)), ' ', statusBadge(f)),
          ),
        ),
    ...(quotes.size > 0 ? [h('h3', {}, 'Evidence')] : []),
    ...[...quotes.values()].map(({ evidence, facts: cited }) =>
      h('div', { class: 'quote-group' }, quote(evidence), h('p', { class: 'hint' }, `States ${cited.length === 1 ? 'this fact' : `these ${cited.length} facts`}: ${cited.map((f) => (f.subject.id === entity.id ? f.object.name : f.subject.name)).join(', ')}`)),
    ),
  ];
}

export function pathDetails(from: string, to: string, paths: Path[], actions: DetailsActions): HTMLElement[] {
  if (paths.length === 0) return [h('h2', {}, 'Paths'), h('p', {}, `No path of up to 4 hops links ${from} to ${to} with the chosen statuses.`)];
  return [
    h('h2', {}, `Paths from ${from} to ${to}`),
    h('p', { class: 'hint' }, `${paths.length} shortest path${paths.length === 1 ? '' : 's'} of ${paths[0]!.length} hop${paths[0]!.length === 1 ? '' : 's'}.`),
    h(
      'ul',
      { class: 'paths' },
      ...paths.map((path, index) =>
        h(
          'li',
          {},
          h('h3', {}, `Path ${index + 1}`),
          h(
            'ol',
            { class: 'hops' },
            ...path.hops.map((hop) => {
              const arrow = hop.forward ? `— ${words(hop.relation)} →` : `← ${words(hop.relation)} —`;
              const text = `${hop.from.name} ${arrow} ${hop.to.name}`;
              return h('li', {}, hop.fact ? h('button', { type: 'button', class: 'link', onclick: () => actions.selectFact(hop.fact!.id) }, text) : text, hop.fact ? ' ' : '', hop.fact ? statusBadge(hop.fact) : null);
            }),
          ),
        ),
      ),
    ),
  ];
}
