/**
 * The explorer: search, a network view of an entity's neighbourhood (or the whole graph, or the
 * paths between two entities), filters that re-query, details with evidence, and downloads.
 * Everything it shows comes from the public GraphQL API (./api.ts).
 */
import * as api from './api';
import type { Entity, EntityRef, Fact, FactCounts, Filter, Path, Status } from './api';
import { entityDetails, factDetails, pathDetails, type DetailsActions } from './details';
import { byId, h, words } from './dom';
import { createGraphView, KIND_STYLE, PLAN_COLOUR, TYPE_COLOURS } from './graph';

const MAX_NODES = 500;
/** A graph smaller than this opens whole; a larger one opens on the search. */
const OPEN_WHOLE_BELOW = 200;
const PLANS: Status[] = api.STATUSES.filter((s) => !api.FACTUAL.includes(s));
const FIRST_DAY = Date.UTC(2000, 0, 1);
const DAY_MS = 86_400_000;

type View = { kind: 'entity'; id: string } | { kind: 'whole' } | { kind: 'path'; from: EntityRef; to: EntityRef };

const state = {
  filter: { status: [...api.FACTUAL], asOf: null, includeUnknown: false, domain: null } as Filter,
  view: null as View | null,
  entities: new Map<string, Entity | EntityRef>(),
  facts: new Map<string, Fact>(),
  paths: [] as Path[],
  selected: null as { kind: 'node' | 'edge'; id: string } | null,
  names: [] as Entity[],
  /** Increases with each load, so an older answer arriving late is dropped. */
  generation: 0,
};

const statusLine = byId<HTMLParagraphElement>('status');
const hiddenLine = byId<HTMLParagraphElement>('hidden');
const details = byId<HTMLElement>('details');
const graph = createGraphView(byId('graph'), (kind, id) => (kind === 'none' ? clearSelection() : select(kind, id, false)));

function say(message: string, error = false): void {
  statusLine.textContent = message;
  statusLine.classList.toggle('error', error);
}

/**
 * What the filters left out of an entity's facts, each with a way to show it: "3 plans hidden:
 * show", "1 not known to be in force on 2016-06-01: show", and those out of date or domain.
 */
function sayHidden(counts: FactCounts | null): void {
  const parts: HTMLElement[] = [];
  if (counts && counts.hidden > 0) {
    const plans = counts.byStatus.filter((s) => PLANS.includes(s.status)).reduce((n, s) => n + s.total - s.shown, 0);
    if (plans > 0) parts.push(h('span', {}, `${plans} plan${plans === 1 ? '' : 's'} hidden: `, h('button', { type: 'button', class: 'link', onclick: () => showStatuses(PLANS) }, 'show')));
    const unknown = counts.byInForce.find((s) => s.inForce === 'UNKNOWN');
    if (unknown && unknown.total > unknown.shown && state.filter.asOf) {
      const n = unknown.total - unknown.shown;
      parts.push(h('span', {}, `${n} not known to be in force on ${state.filter.asOf}: `, h('button', { type: 'button', class: 'link', onclick: () => showUnknown() }, 'show')));
    }
    const no = counts.byInForce.find((s) => s.inForce === 'NO');
    if (no && no.total > 0 && state.filter.asOf) parts.push(h('span', {}, `${no.total} not in force on ${state.filter.asOf}`));
    if (counts.outsideDomain > 0 && state.filter.domain) parts.push(h('span', {}, `${counts.outsideDomain} outside ${words(state.filter.domain)}`));
  }
  hiddenLine.replaceChildren(...parts.flatMap((part, i) => (i === 0 ? [part] : [h('span', { 'aria-hidden': 'true' }, ' · '), part])));
  hiddenLine.hidden = parts.length === 0;
}

function showStatuses(statuses: Status[]): void {
  for (const box of statusBoxes.querySelectorAll<HTMLInputElement>('input')) if (statuses.includes(box.value as Status)) box.checked = true;
  state.filter.status = [...statusBoxes.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value as Status);
  reload();
}

function showUnknown(): void {
  asOfUnknown.checked = true;
  state.filter.includeUnknown = true;
  reload();
}

function showDetails(nodes: HTMLElement[], focus = false): void {
  details.replaceChildren(...nodes);
  if (focus) details.focus();
}

const actions: DetailsActions = {
  selectFact: (id) => select('edge', id, true),
  selectEntity: (id) => (state.entities.has(id) ? select('node', id, true) : void load({ kind: 'entity', id })),
  expand: (id) => void load({ kind: 'entity', id }),
};

function clearSelection(): void {
  state.selected = null;
  showDetails([h('h2', {}, 'Details'), h('p', { class: 'hint' }, 'Click a node or an edge to see its details.')]);
}

function select(kind: 'node' | 'edge', id: string, fromPanel: boolean): void {
  state.selected = { kind, id };
  if (fromPanel) graph.select(id);
  if (kind === 'edge') {
    const fact = state.facts.get(id);
    if (fact) showDetails(factDetails(fact, actions), fromPanel);
    return;
  }
  const entity = state.entities.get(id);
  if (entity) showDetails(entityDetails(entity, [...state.facts.values()], actions), fromPanel);
}

// ---- loading views

async function load(view: View): Promise<void> {
  state.view = view;
  const generation = ++state.generation;
  say('Loading…');
  try {
    const entities = new Map<string, Entity | EntityRef>();
    const facts = new Map<string, Fact>();
    let paths: Path[] = [];
    let message: string;
    let highlight = new Set<string>();
    let counts: FactCounts | null = null;
    const links: Array<{ from: string; to: string; relation: string }> = [];
    if (view.kind === 'entity') {
      const found = await api.neighbourhood(view.id, state.filter);
      if (!found) throw new api.ApiError(`No entity has the id ${view.id}.`);
      entities.set(found.entity.id, found.entity);
      for (const f of found.facts) facts.set(f.id, f);
      message = `${found.entity.name}: ${found.facts.length} fact${found.facts.length === 1 ? '' : 's'} with the current filters.`;
      counts = found.counts;
      highlight = new Set([found.entity.id]);
    } else if (view.kind === 'whole') {
      const whole = await api.wholeGraph(state.filter, MAX_NODES);
      for (const e of whole.entities) entities.set(e.id, e);
      for (const f of whole.facts) facts.set(f.id, f);
      message = whole.truncated
        ? `The graph has ${whole.total} entities: showing the first ${whole.entities.length} (the view stops at ${MAX_NODES}); use the search or the downloads for the rest.`
        : `Whole graph: ${whole.entities.length} entities, ${whole.facts.length} facts with the current filters.`;
    } else {
      paths = await api.connections(view.from.id, view.to.id, state.filter.status);
      for (const path of paths) {
        for (const hop of path.hops) {
          entities.set(hop.from.id, hop.from);
          entities.set(hop.to.id, hop.to);
          highlight.add(hop.from.id).add(hop.to.id);
          if (hop.fact) {
            facts.set(hop.fact.id, hop.fact);
            highlight.add(hop.fact.id);
          } else {
            links.push(hop.forward ? { from: hop.from.id, to: hop.to.id, relation: hop.relation } : { from: hop.to.id, to: hop.from.id, relation: hop.relation });
          }
        }
      }
      message = paths.length === 0 ? `No path links ${view.from.name} to ${view.to.name}.` : `${paths.length} shortest path${paths.length === 1 ? '' : 's'} from ${view.from.name} to ${view.to.name}.`;
    }
    if (generation !== state.generation) return;
    for (const f of facts.values()) {
      if (!entities.has(f.subject.id)) entities.set(f.subject.id, f.subject);
      if (!entities.has(f.object.id)) entities.set(f.object.id, f.object);
    }
    state.entities = entities;
    state.facts = facts;
    state.paths = paths;
    graph.show({ entities: [...entities.values()], facts: [...facts.values()], links }, highlight);
    say(message);
    sayHidden(counts);
    if (view.kind === 'entity') select('node', view.id, false);
    else if (view.kind === 'path') showDetails(pathDetails(view.from.name, view.to.name, paths, actions));
    else clearSelection();
  } catch (error) {
    if (generation !== state.generation) return;
    say(error instanceof Error ? error.message : String(error), true);
  }
}

function reload(): void {
  updateDownloads();
  if (state.view) void load(state.view);
}

// ---- search

const results = byId<HTMLUListElement>('results');
byId<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = byId<HTMLInputElement>('search-text').value.trim();
  if (text) void runSearch(text);
});

async function runSearch(text: string): Promise<void> {
  say(`Searching for “${text}”…`);
  try {
    const hits = await api.search(text);
    byId('results-empty').textContent = hits.length === 0 ? `Nothing matches “${text}”.` : `${hits.length} match${hits.length === 1 ? '' : 'es'} for “${text}”:`;
    results.replaceChildren(
      ...hits.map(({ entity }) =>
        h(
          'li',
          {},
          h('button', { type: 'button', class: 'result', onclick: () => void load({ kind: 'entity', id: entity.id }) },
            h('span', { class: 'swatch', style: `background:${KIND_STYLE[entity.kind]?.colour ?? '#555'}`, 'aria-hidden': 'true' }),
            entity.name,
            h('span', { class: 'kind' }, ` ${KIND_STYLE[entity.kind]?.label ?? entity.kind}`),
          ),
        ),
      ),
    );
    if (hits[0]) await load({ kind: 'entity', id: hits[0].entity.id });
    else say(`Nothing matches “${text}”.`);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error), true);
  }
}

// ---- filters

const domainSelect = byId<HTMLSelectElement>('domain');
domainSelect.addEventListener('change', () => {
  state.filter.domain = domainSelect.value || null;
  reload();
});

const statusBoxes = byId('status-boxes');
for (const status of api.STATUSES) {
  const id = `status-${status.toLowerCase()}`;
  const box = h('input', { type: 'checkbox', id, value: status, checked: api.FACTUAL.includes(status) });
  box.addEventListener('change', () => {
    const checked = [...statusBoxes.querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value as Status);
    state.filter.status = checked.length > 0 ? checked : [...api.FACTUAL];
    if (checked.length === 0) say('No status ticked: showing ACTIVE and ENDED facts.');
    reload();
  });
  const plan = !api.FACTUAL.includes(status);
  statusBoxes.append(h('div', { class: 'check' }, box, h('label', { for: id, class: plan ? 'plan-text' : '' }, `${words(status)}${plan ? ' (plan)' : ''}`)));
}

const asOfOn = byId<HTMLInputElement>('asof-on');
const asOfDate = byId<HTMLInputElement>('asof-date');
const asOfSlider = byId<HTMLInputElement>('asof-slider');
const asOfLabel = byId<HTMLOutputElement>('asof-label');
const asOfUnknown = byId<HTMLInputElement>('asof-unknown');
asOfUnknown.addEventListener('change', () => {
  state.filter.includeUnknown = asOfUnknown.checked;
  reload();
});
const today = new Date().toISOString().slice(0, 10);
const dayIndex = (day: string) => Math.round((Date.parse(`${day}T00:00:00Z`) - FIRST_DAY) / DAY_MS);
const dayOf = (index: number) => new Date(FIRST_DAY + index * DAY_MS).toISOString().slice(0, 10);
asOfSlider.max = String(dayIndex(today));
asOfSlider.value = asOfSlider.max;
asOfDate.max = today;
asOfDate.value = today;

function applyAsOf(): void {
  state.filter.asOf = asOfOn.checked ? asOfDate.value || null : null;
  asOfLabel.textContent = state.filter.asOf ? `in force on ${state.filter.asOf}` : 'any date';
  asOfSlider.setAttribute('aria-valuetext', asOfDate.value);
  reload();
}
asOfSlider.addEventListener('input', () => {
  asOfDate.value = dayOf(Number(asOfSlider.value));
  asOfLabel.textContent = `in force on ${asOfDate.value}`;
});
asOfSlider.addEventListener('change', () => {
  asOfOn.checked = true;
  applyAsOf();
});
asOfDate.addEventListener('change', () => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOfDate.value)) return;
  asOfSlider.value = String(dayIndex(asOfDate.value));
  asOfOn.checked = true;
  applyAsOf();
});
asOfOn.addEventListener('change', applyAsOf);

// ---- path finder

const namesList = byId<HTMLDataListElement>('entity-names');

async function resolveEntity(text: string): Promise<EntityRef | null> {
  const wanted = text.trim().toLowerCase();
  const exact = state.names.find((e) => e.id === wanted || e.name.toLowerCase() === wanted || e.aliases.some((a) => a.toLowerCase() === wanted));
  if (exact) return exact;
  const hits = await api.search(text.trim());
  return hits[0]?.entity ?? null;
}

byId<HTMLFormElement>('path-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void (async () => {
    const fromText = byId<HTMLInputElement>('path-from').value;
    const toText = byId<HTMLInputElement>('path-to').value;
    try {
      const [from, to] = await Promise.all([resolveEntity(fromText), resolveEntity(toText)]);
      if (!from) return say(`No entity matches “${fromText}”.`, true);
      if (!to) return say(`No entity matches “${toText}”.`, true);
      await load({ kind: 'path', from, to });
    } catch (error) {
      say(error instanceof Error ? error.message : String(error), true);
    }
  })();
});

// ---- view buttons, downloads, legend

byId('whole-graph').addEventListener('click', () => void load({ kind: 'whole' }));
byId('fit').addEventListener('click', () => graph.fit());

function updateDownloads(): void {
  for (const format of ['graphml', 'csv-nodes', 'csv-edges', 'json']) {
    const params = new URLSearchParams({ format, status: state.filter.status.join(',') });
    if (state.filter.asOf) params.set('asOf', state.filter.asOf);
    if (state.filter.asOf && state.filter.includeUnknown) params.set('includeUnknown', 'true');
    if (state.filter.domain) params.set('domain', state.filter.domain);
    byId<HTMLAnchorElement>(`export-${format}`).href = `/export?${params}`;
  }
}

function legend(): void {
  const items = [
    h('li', { class: 'legend-head' }, 'Kinds'),
    ...Object.values(KIND_STYLE).map((k) => h('li', {}, h('span', { class: `swatch shape-${k.shape}`, style: `background:${k.colour}`, 'aria-hidden': 'true' }), k.label)),
    h('li', { class: 'legend-head' }, 'Relationships'),
    ...Object.entries(TYPE_COLOURS).map(([type, colour]) =>
      h('li', { class: 'legend-type' }, h('span', { class: `line${type === 'BELONGS_TO' ? ' ended' : ''}`, style: `border-top-color:${colour}`, 'aria-hidden': 'true' }), words(type)),
    ),
    h('li', { class: 'legend-head' }, 'Status'),
    h('li', {}, h('span', { class: 'line', 'aria-hidden': 'true' }), 'Fact (active)'),
    h('li', {}, h('span', { class: 'line ended', 'aria-hidden': 'true' }), 'Ended fact (dotted)'),
    h('li', {}, h('span', { class: 'line plan', style: `border-top-color:${PLAN_COLOUR}`, 'aria-hidden': 'true' }), 'Plan or proposal, not a fact (dashed, orange)'),
  ];
  byId('legend').replaceChildren(...items);
}

async function start(): Promise<void> {
  legend();
  updateDownloads();
  // /explorer/?entity=<id> (the source reader links here) opens on that entity; else a small
  // graph opens whole, and a large one on the search.
  const wanted = new URLSearchParams(window.location.search).get('entity');
  if (wanted) void load({ kind: 'entity', id: wanted });
  else {
    void api
      .entityCount()
      .then((total) => {
        if (total > 0 && total < OPEN_WHOLE_BELOW && state.view === null) void load({ kind: 'whole' });
      })
      .catch(() => undefined);
  }
  const [domains, names] = await Promise.allSettled([api.domainsInUse(), api.entityNames()]);
  if (domains.status === 'fulfilled') domainSelect.append(...domains.value.map((d) => h('option', { value: d }, words(d))));
  if (names.status === 'fulfilled') {
    state.names = names.value;
    namesList.replaceChildren(...names.value.map((e) => h('option', { value: e.name })));
  }
  if (domains.status === 'rejected' || names.status === 'rejected') say('The API did not answer: is the server connected to Neo4j?', true);
}

void start();
