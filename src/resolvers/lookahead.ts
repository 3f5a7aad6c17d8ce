/**
 * Look-ahead: what a field's sub-selection asks for, read from the query before resolving it,
 * so a resolver can skip loading what no one asked for.
 */
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

const ID_FIELDS = new Set(['id', '__typename']);

/** Whether every selection (through inline fragments and fragment spreads) is one of `fields`. */
function selectsOnly(selectionSet: SelectionSetNode | undefined, fields: Set<string>, info: GraphQLResolveInfo): boolean {
  if (!selectionSet) return true;
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return fields.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsOnly(selection.selectionSet, fields, info);
    const fragment = info.fragments[selection.name.value];
    return fragment ? selectsOnly(fragment.selectionSet, fields, info) : false;
  });
}

/**
 * True when the field's objects (or, with `path`, the objects at that path below it) are asked
 * for nothing but `id` (and `__typename`).
 */
export function asksOnlyId(info: GraphQLResolveInfo, path: readonly string[] = []): boolean {
  return selectionsAt(info, path).every((set) => selectsOnly(set, ID_FIELDS, info));
}

/** The sub-selections of `fields` named `name` (through fragments). */
function childSelections(selectionSet: SelectionSetNode | undefined, name: string, info: GraphQLResolveInfo): SelectionSetNode[] {
  if (!selectionSet) return [];
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === name && selection.selectionSet ? [selection.selectionSet] : [];
    if (selection.kind === Kind.INLINE_FRAGMENT) return childSelections(selection.selectionSet, name, info);
    const fragment = info.fragments[selection.name.value];
    return fragment ? childSelections(fragment.selectionSet, name, info) : [];
  });
}

/** The selection sets at `path` below the field being resolved. */
function selectionsAt(info: GraphQLResolveInfo, path: readonly string[]): SelectionSetNode[] {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) sets = sets.flatMap((set) => childSelections(set, name, info));
  return sets;
}

/** True when the query asks, below this field, for the objects at `path` (e.g. ['links', 'facts', 'evidence']). */
export function asksFor(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return selectionsAt(info, path).length > 0;
}
