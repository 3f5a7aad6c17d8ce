/** The selection of a document's first root field, as the query compiler (src/db/compile) is handed it by a resolver. */
import fs from 'node:fs';
import { buildSchema, Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { Position } from '../../src/db/compile';
import { SCHEMA_FILE } from '../../src/paths';

const schema = buildSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'));

/** The position of the document's first root field, with its variables (already coerced, as graphql-js hands them over: a Date is a Date). */
export function rootPosition(document: string, variableValues: Record<string, unknown> = {}): Position {
  const ast = parse(document);
  const operation = ast.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(ast.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const field = operation.selectionSet.selections[0] as FieldNode;
  const definition = schema.getQueryType()!.getFields()[field.name.value]!;
  let type = definition.type as { ofType?: unknown };
  while (type.ofType) type = type.ofType as { ofType?: unknown };
  return { request: { schema, fragments, variableValues }, type: type as never, nodes: [field] };
}
