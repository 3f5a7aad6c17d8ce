/**
 * The gazetteer: every name, alias and reference alias of the known entities (the graph's, and
 * reference data), with the forms that refer to them (demonyms: "Belgian", "Dutch"), matched
 * against a sentence's words, folded for case and accents, longest match first. The names are
 * kept as a trie of folded words, so a match always starts and ends at word boundaries and its
 * span is the words' own span in the text.
 */
import type { EntityRecord } from '../db/records';
import type { EntityKind } from '../ontology';
import { referenceEntities } from './reference';
import { fold } from './text';
import { isPossessive, tokenize, type Token } from './tokens';

export interface KnownEntity {
  id: string;
  kind: EntityKind;
  subtype?: string;
  name: string;
  aliases: string[];
  /** Words that name it without being a name: demonyms, official long names. */
  forms: string[];
  reference?: { iso3166?: string; wikidata?: string; aliases?: string[] };
  belongsTo?: string;
  /** Where it is known from: the graph (a curated entity) or reference data. */
  origin: 'graph' | 'reference';
}

export interface Mention {
  entity: KnownEntity;
  /** UTF-16 span in the text, possessive ending included. */
  start: number;
  end: number;
  /** The words as written. */
  surface: string;
  /** Token span [first, last + 1) in the sentence. */
  first: number;
  last: number;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  entities: KnownEntity[];
}

function words(form: string): string[] {
  return tokenize({ index: 0, start: 0, end: form.length, text: form }).map((t) => t.folded);
}

export class Gazetteer {
  private readonly root: TrieNode = { next: new Map(), entities: [] };
  readonly entities: KnownEntity[];

  constructor(entities: KnownEntity[]) {
    this.entities = entities;
    for (const entity of entities) {
      const forms = new Set([entity.name, ...entity.aliases, ...(entity.reference?.aliases ?? []), ...entity.forms]);
      for (const form of forms) this.add(form, entity);
    }
  }

  private add(form: string, entity: KnownEntity): void {
    const key = words(form);
    if (key.length === 0) return;
    let node = this.root;
    for (const word of key) {
      let child = node.next.get(word);
      if (!child) {
        child = { next: new Map(), entities: [] };
        node.next.set(word, child);
      }
      node = child;
    }
    if (!node.entities.includes(entity)) node.entities.push(entity);
  }

  /**
   * Mentions in a sentence's words, left to right; at each word the longest name wins. A form
   * shared by two entities ("Congolese") is ambiguous and left for a person. A name written in
   * lower case where its form is capitalised ("turkey", "chad") is not a mention.
   */
  match(tokens: Token[]): Mention[] {
    const mentions: Mention[] = [];
    let i = 0;
    while (i < tokens.length) {
      let node: TrieNode | undefined = this.root;
      let best: { last: number; entities: KnownEntity[] } | undefined;
      for (let j = i; j < tokens.length && node; j += 1) {
        const token = tokens[j] as Token;
        if (j > i && !/^[ \-\u00a0]$/u.test(token.gap)) break;
        node = node.next.get(token.folded);
        if (node && node.entities.length > 0) best = { last: j + 1, entities: node.entities };
      }
      const firstToken = tokens[i] as Token;
      if (best && best.entities.length === 1 && /^[\p{Lu}\p{N}]/u.test(firstToken.text)) {
        let last = best.last;
        if (last < tokens.length && isPossessive(tokens[last] as Token)) last += 1;
        const end = (tokens[last - 1] as Token).end;
        mentions.push({
          entity: best.entities[0] as KnownEntity,
          start: firstToken.start,
          end,
          surface: tokensText(tokens, i, last),
          first: i,
          last,
        });
        i = last;
      } else {
        i += 1;
      }
    }
    return mentions;
  }
}

/** The words [first, last) as written, with their gaps. */
export function tokensText(tokens: Token[], first: number, last: number): string {
  let out = '';
  for (let k = first; k < last; k += 1) out += (k > first ? (tokens[k] as Token).gap : '') + (tokens[k] as Token).text;
  return out;
}

/** The graph's entities, with reference data for what the graph does not hold (same ISO code or id). */
export function gazetteerOf(records: EntityRecord[]): Gazetteer {
  const known: KnownEntity[] = records.map((r) => ({
    id: r.id,
    kind: r.kind as EntityKind,
    ...(r.subtype ? { subtype: r.subtype } : {}),
    name: r.name,
    aliases: r.aliases,
    forms: [],
    reference: {
      ...(r.iso3166 ? { iso3166: r.iso3166 } : {}),
      ...(r.wikidata ? { wikidata: r.wikidata } : {}),
      ...(r.referenceAliases.length > 0 ? { aliases: r.referenceAliases } : {}),
    },
    ...(r.belongsTo ? { belongsTo: r.belongsTo } : {}),
    origin: 'graph',
  }));
  const byIso = new Map(known.filter((k) => k.reference?.iso3166).map((k) => [k.reference?.iso3166 as string, k]));
  const ids = new Set(known.map((k) => k.id));
  const names = new Set(known.flatMap((k) => [k.name, ...k.aliases]).map(fold));
  for (const ref of referenceEntities()) {
    const same = ref.reference?.iso3166 ? byIso.get(ref.reference.iso3166) : undefined;
    if (same) {
      // The graph's country keeps its id and names; reference data adds its demonyms.
      same.forms.push(...[ref.name, ...ref.forms].filter((f) => !names.has(fold(f))));
    } else if (!ids.has(ref.id) && ![ref.name, ...ref.aliases].some((n) => names.has(fold(n)))) {
      known.push({ ...ref, forms: [...ref.forms] });
    }
  }
  return new Gazetteer(known);
}
