/**
 * Assisted extraction: a release's text in, a draft document out, every proposal marked with
 * the rule that made it, for a person to review before anything is loaded.
 *
 *   text -> sentences.ts -> tokens.ts -> gazetteer.ts (known names) + dates.ts + names.ts (new
 *   names) -> relations.ts (facts by cues.ts) -> extract.ts -> draft.ts; score.ts compares a
 *   draft with a curated document.
 */
export { extract, type Extraction, type ProposedEntity, type Review } from './extract';
export { buildDraft, draftYaml, DRAFT_MARK, type DraftDocument, type SourceMeta } from './draft';
export { Gazetteer, gazetteerOf, type KnownEntity } from './gazetteer';
export { scoreDraft, type Scores } from './score';
