/**
 * Words of a sentence, by the Unicode word rules (Intl.Segmenter), each with its UTF-16 span in
 * the whole text, its folded form and what lies between it and the previous word. A possessive
 * ending ("Luxembourg’s", "Belgium's") is split off as a word of its own, so the name before it
 * matches the gazetteer while the mention still covers the text as written.
 */
import { fold } from './text';
import type { Sentence } from './sentences';

export interface Token {
  /** Position among the sentence's words. */
  i: number;
  text: string;
  folded: string;
  start: number;
  end: number;
  /** The characters between the previous word and this one ('' for the first). */
  gap: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
const POSSESSIVE = /^(.+?)(['\u2019]s?)$/u;

export function tokenize(sentence: Sentence): Token[] {
  const tokens: Token[] = [];
  let previousEnd = sentence.start;
  const push = (text: string, start: number): void => {
    const gap = tokens.length === 0 ? '' : sentenceText(sentence, previousEnd, start);
    tokens.push({ i: tokens.length, text, folded: fold(text), start, end: start + text.length, gap });
    previousEnd = start + text.length;
  };
  for (const segment of segmenter.segment(sentence.text)) {
    if (!segment.isWordLike) continue;
    const start = sentence.start + segment.index;
    const possessive = POSSESSIVE.exec(segment.segment);
    if (possessive && /\p{Lu}/u.test(segment.segment[0] ?? '')) {
      const [, base, ending] = possessive as unknown as [string, string, string];
      push(base, start);
      push(ending, start + base.length);
    } else {
      push(segment.segment, start);
    }
  }
  return tokens;
}

function sentenceText(sentence: Sentence, start: number, end: number): string {
  return sentence.text.slice(start - sentence.start, end - sentence.start);
}

/** True for the possessive ending split off by tokenize(). */
export function isPossessive(token: Token): boolean {
  return token.gap === '' && /^['\u2019]s?$/u.test(token.text);
}
