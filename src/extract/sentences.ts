/**
 * Sentences of a text, by the Unicode sentence rules (UAX #29, through the ICU that Node ships
 * as Intl.Segmenter): no word lists to keep, and line and paragraph breaks end a sentence, so
 * a heading without a full stop is a sentence of its own. Spans are UTF-16 indexes of the
 * whole text, trimmed of surrounding white space.
 */
export interface Sentence {
  /** Position in the text, counted from 0. */
  index: number;
  start: number;
  end: number;
  text: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  for (const segment of segmenter.segment(text)) {
    // The segmenter keeps a line break inside a sentence only after a full stop; split on
    // line breaks too, so a title line never runs into the paragraph after it.
    let offset = segment.index;
    for (const line of segment.segment.split(/(\r?\n)/)) {
      const lead = line.length - line.trimStart().length;
      const body = line.trim();
      if (body.length > 0 && /[\p{L}\p{N}]/u.test(body)) {
        const start = offset + lead;
        sentences.push({ index: sentences.length, start, end: start + body.length, text: body });
      }
      offset += line.length;
    }
  }
  return sentences;
}
