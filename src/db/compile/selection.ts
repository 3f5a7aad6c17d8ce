/**
 * What a request selects, read with graphql-js's own field collection (collectSubfields and
 * getArgumentValues, the functions its executor calls), so that fragments, inline fragments on
 * interfaces, aliases and @skip/@include select exactly the fields graphql-js will resolve.
 */
import {
  BREAK,
  getNamedType,
  isAbstractType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import { getArgumentValues } from 'graphql/execution/values';

/** The parts of a request (a resolver's info) that decide what is selected. */
export interface Request {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variableValues: Record<string, unknown>;
}

/** A place in the answer: objects of `type` (an object or interface type), asked for by `nodes`. */
export interface Position {
  request: Request;
  type: GraphQLNamedType;
  nodes: readonly FieldNode[];
}

/** One field as graphql-js executes it: its response key, its name, its coerced arguments. */
export interface Field {
  key: string;
  name: string;
  args: Record<string, unknown>;
  /** What it selects below (its type named, with its field nodes). */
  below: Position;
}

/** The object types a position's objects can be at run time. */
export function runtimeTypes(position: Position): readonly GraphQLObjectType[] {
  const { type, request } = position;
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return request.schema.getPossibleTypes(type);
  return [];
}

/**
 * The fields graphql-js resolves on an object of `type` at `position`, by response key.
 * `__typename` is left out (graphql-js answers it). A key whose field nodes disagree on their
 * arguments can only come from merging the selections of different keys (see childPosition);
 * it is left out too, so its resolver takes the uncompiled path.
 */
export function fieldsOn(position: Position, type: GraphQLObjectType): Field[] {
  const { request } = position;
  // Asked again for the same nodes and type while one query is built (each runtime type of an
  // interface, a child position, then its map): collected once.
  let byType = collectedFor.get(position.nodes);
  if (!byType) {
    byType = new Map();
    collectedFor.set(position.nodes, byType);
  }
  const known = byType.get(type);
  if (known && known.request === request) return known.fields;
  const fields = collectFieldsOn(position, type);
  byType.set(type, { request, fields });
  return fields;
}

const collectedFor = new WeakMap<readonly FieldNode[], Map<GraphQLObjectType, { request: Request; fields: Field[] }>>();

function collectFieldsOn(position: Position, type: GraphQLObjectType): Field[] {
  const { request } = position;
  const collected = collectSubfields(request.schema, request.fragments, request.variableValues, type, position.nodes);
  const fields: Field[] = [];
  for (const [key, nodes] of collected) {
    const first = nodes[0] as FieldNode;
    const definition = type.getFields()[first.name.value];
    if (!definition) continue;
    const args = getArgumentValues(definition, first, request.variableValues);
    const same = nodes.every((node) => node === first || JSON.stringify(getArgumentValues(definition, node, request.variableValues)) === JSON.stringify(args));
    if (!same) continue;
    fields.push({ key, name: first.name.value, args, below: { request, type: getNamedType(definition.type), nodes } });
  }
  return fields;
}

/**
 * Every field named `name` (under any alias) of the objects at `position`, merged into one
 * position: for objects the root resolver builds and graphql-js then reads as they are (a page's
 * edges and nodes, a hop's ends), one compiled object serves every alias.
 */
export function childPosition(position: Position, name: string): Position | null {
  const nodes: FieldNode[] = [];
  let type: GraphQLNamedType | null = null;
  for (const runtime of runtimeTypes(position)) {
    for (const field of fieldsOn(position, runtime)) {
      if (field.name !== name) continue;
      type = field.below.type;
      for (const node of field.below.nodes) if (!nodes.includes(node)) nodes.push(node);
    }
  }
  return type === null ? null : { request: position.request, type, nodes };
}

/** Whether any object at `position` is asked for the field `name`. */
export function asks(position: Position, name: string): boolean {
  return runtimeTypes(position).some((type) => fieldsOn(position, type).some((field) => field.name === name));
}

/**
 * Whether the objects at `position` are asked for nothing but fields named in `names` (and
 * `__typename`): every field graphql-js collects, including those fieldsOn() leaves out.
 */
export function asksOnly(position: Position, names: readonly string[]): boolean {
  const { request } = position;
  return runtimeTypes(position).every((type) =>
    [...collectSubfields(request.schema, request.fragments, request.variableValues, type, position.nodes).values()].every((nodes) => {
      const name = (nodes[0] as FieldNode).name.value;
      return name === '__typename' || names.includes(name);
    }),
  );
}

const ids = new WeakMap<FieldNode, number>();
let nextId = 0;

/** A key that is equal for two field lists exactly when graphql-js would resolve the same fields from the same nodes. */
export function signature(fields: readonly Field[]): string {
  return fields
    .map((field) => {
      const nodes = field.below.nodes.map((node) => {
        let id = ids.get(node);
        if (id === undefined) {
          id = nextId++;
          ids.set(node, id);
        }
        return id;
      });
      return `${field.key}:${nodes.join(',')}`;
    })
    .join(' ');
}

const variableFree = new WeakMap<FieldNode, boolean>();

/**
 * Whether nothing below `node` (its selection and the fragments it spreads, with their
 * arguments and directives) names a variable: then what it selects, and the Cypher built from
 * it, is the same for every request of its document, whatever the variables.
 */
export function selectsNoVariables(node: FieldNode, fragments: Record<string, FragmentDefinitionNode>): boolean {
  let known = variableFree.get(node);
  if (known === undefined) {
    known = !namesVariables(node.selectionSet, fragments, new Set());
    variableFree.set(node, known);
  }
  return known;
}

function namesVariables(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>, seen: Set<string>): boolean {
  if (!set) return false;
  let found = false;
  const spreads: string[] = [];
  visit(set, {
    Variable() {
      found = true;
      return BREAK;
    },
    FragmentSpread(spread) {
      spreads.push(spread.name.value);
    },
  });
  if (found) return true;
  return spreads.some((name) => {
    if (seen.has(name)) return false;
    seen.add(name);
    return namesVariables(fragments[name]?.selectionSet, fragments, seen);
  });
}
