/**
 * The source reader, /explorer/source/<id>: the release's text with every passage that states
 * facts marked. A click on a mark lists the facts of the passages under it; each fact opens with
 * its dates and evidence, and its evidence links back here, to its passage (#<start>-<end>).
 * Offsets count Unicode code points, as the API's do.
 */
import * as api from './api';
import type { Fact, Passage, Source } from './api';
import { factDetails, type DetailsActions } from './details';
import { byId, h, words } from './dom';

const statusLine = byId<HTMLParagraphElement>('status');
const details = byId<HTMLElement>('details');
const textBox = byId<HTMLElement>('source-text');

let source: Source | null = null;
/** Every mark element with the passages (indexes into source.passages) it lies in. */
let marks: Array<{ element: HTMLElement; passages: number[] }> = [];

function say(message: string, error = false): void {
  statusLine.textContent = message;
  statusLine.classList.toggle('error', error);
}

const explorerAt = (id: string) => `/explorer/?entity=${encodeURIComponent(id)}`;

const actions: DetailsActions = {
  selectFact: (id) => {
    const fact = source?.passages.flatMap((p) => p.facts).find((f) => f.id === id);
    if (fact) showFact(fact);
  },
  selectEntity: (id) => window.location.assign(explorerAt(id)),
  expand: (id) => window.location.assign(explorerAt(id)),
};

function showFact(fact: Fact): void {
  details.replaceChildren(...factDetails(fact, actions));
  details.focus();
}

function factLine(fact: Fact): string {
  return `${fact.subject.name} ${words(fact.type)} ${fact.object.name}${fact.role ? ` (as ${words(fact.role)})` : ''}`;
}

/** The segments of the text between every passage boundary, each marked with the passages over it. */
function render(text: string, passages: Passage[]): void {
  const chars = [...text];
  const cuts = [...new Set([0, chars.length, ...passages.flatMap((p) => [p.start, p.end])])].filter((n) => n >= 0 && n <= chars.length).sort((a, b) => a - b);
  const nodes: Array<Node> = [];
  marks = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i] as number, cuts[i + 1] as number];
    const piece = chars.slice(from, to).join('');
    const over = passages.flatMap((p, index) => (p.start <= from && to <= p.end ? [index] : []));
    if (over.length === 0) {
      nodes.push(document.createTextNode(piece));
      continue;
    }
    const element = h('mark', { class: `depth-${Math.min(over.length, 3)}`, 'data-passages': over.join(' '), tabindex: 0, role: 'button' }, piece);
    element.addEventListener('click', () => selectPassages(over, true));
    element.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Enter' || (event as KeyboardEvent).key === ' ') {
        event.preventDefault();
        selectPassages(over, true);
      }
    });
    marks.push({ element, passages: over });
    nodes.push(element);
  }
  textBox.replaceChildren(...nodes);
}

/** Marks the passages as current and lists their facts, innermost (shortest) passage first. */
function selectPassages(indexes: number[], fromClick: boolean): void {
  if (!source) return;
  const chosen = [...indexes].sort((a, b) => {
    const [p, q] = [source!.passages[a] as Passage, source!.passages[b] as Passage];
    return p.end - p.start - (q.end - q.start) || p.start - q.start;
  });
  for (const mark of marks) mark.element.classList.toggle('current', mark.passages.some((i) => chosen.includes(i)));
  const first = source.passages[chosen[0] as number] as Passage;
  if (fromClick) history.replaceState(null, '', `#${first.start}-${first.end}`);
  else marks.find((m) => m.passages.includes(chosen[0] as number))?.element.scrollIntoView({ block: 'center' });
  details.replaceChildren(
    h('h2', {}, chosen.length === 1 ? 'Passage' : `${chosen.length} passages`),
    ...chosen.map((index) => {
      const passage = source!.passages[index] as Passage;
      return h(
        'section',
        { class: 'passage' },
        h('p', { class: 'cite' }, `Characters ${passage.start}–${passage.end}: ${passage.facts.length === 1 ? '1 fact' : `${passage.facts.length} facts`}`),
        h(
          'ul',
          { class: 'facts' },
          ...passage.facts.map((fact) =>
            h(
              'li',
              {},
              h('button', { type: 'button', class: `link ${fact.isFactual ? '' : 'plan-text'}`, onclick: () => showFact(fact) }, factLine(fact)),
              ' ',
              h('span', { class: `badge ${fact.isFactual ? 'fact' : 'plan'}` }, fact.isFactual ? fact.status : `${fact.status} · not a fact`),
            ),
          ),
        ),
      );
    }),
  );
}

/** #<start>-<end> names a passage: mark it and list its facts. */
function followHash(): void {
  const match = /^#(\d+)-(\d+)$/.exec(window.location.hash);
  if (!match || !source) return;
  const [start, end] = [Number(match[1]), Number(match[2])];
  const index = source.passages.findIndex((p) => p.start === start && p.end === end);
  if (index >= 0) selectPassages([index], false);
  else say(`No passage of this source runs from character ${start} to ${end}.`, true);
}

async function start(): Promise<void> {
  const id = decodeURIComponent(window.location.pathname.replace(/^\/explorer\/source\//, ''));
  try {
    source = await api.source(id);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error), true);
    return;
  }
  if (!source) {
    say(`No source has the id ${id}.`, true);
    return;
  }
  document.title = `${source.title} · defence cooperation graph`;
  byId('source-title').textContent = source.title;
  byId('source-meta').replaceChildren(`${source.publisher}, ${source.published.text}. `, h('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer' }, 'The original'));
  render(source.text, source.passages);
  const facts = new Set(source.passages.flatMap((p) => p.facts.map((f) => f.id))).size;
  say(`${source.passages.length} passages marked, stating ${facts} facts. Click a passage to list its facts.`);
  followHash();
  window.addEventListener('hashchange', followHash);
}

void start();
