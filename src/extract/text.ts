/**
 * A source text with both of its measures: JavaScript indexes strings in UTF-16 units, the
 * document format counts Unicode code points. Extraction works in UTF-16 indexes of the whole
 * text and converts once, here, when it writes evidence, so offsets are exact by construction.
 */
export class SourceText {
  /** Code point index of every UTF-16 index (and of the end). */
  private readonly cpAt: Uint32Array;

  constructor(readonly text: string) {
    this.cpAt = new Uint32Array(text.length + 1);
    let cp = 0;
    for (let i = 0; i < text.length; i += 1) {
      this.cpAt[i] = cp;
      const unit = text.charCodeAt(i);
      // A high surrogate and its low surrogate are one code point.
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          this.cpAt[i + 1] = cp;
          i += 1;
        }
      }
      cp += 1;
    }
    this.cpAt[text.length] = cp;
  }

  /** The code point offset of a UTF-16 index. */
  codePoint(utf16: number): number {
    return this.cpAt[utf16] as number;
  }

  /** A span of the text as evidence: its exact words and code point offsets, end exclusive. */
  evidence(start: number, end: number): { quote: string; start: number; end: number } {
    return { quote: this.text.slice(start, end), start: this.codePoint(start), end: this.codePoint(end) };
  }
}

/**
 * Folds a name for comparison: compatibility forms, no accents, lower case, one kind of
 * apostrophe and single spaces ("Rupšys" = "rupsys", "Luxembourg’s" = "luxembourg's").
 */
export function fold(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/[\u2010-\u2015]/g, '-')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** An id in the document format's pattern, from a name: "Belgian Navy" -> "belgian-navy". */
export function slug(value: string): string {
  return fold(value)
    .replace(/'s\b/g, 's')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}
