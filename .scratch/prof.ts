import fs from 'node:fs';
import { buildSchema, Kind, parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { createDriver, Db } from '/work/wt/a/src/db/executor';
import { logger } from '/work/wt/a/src/logger';
import { compileEntity } from '/work/wt/a/src/db/compile';
const schema = buildSchema(fs.readFileSync('/work/wt/a/schema.graphql', 'utf8'));
function pos(document: string) {
  const op = parse(document).definitions[0] as OperationDefinitionNode;
  const field = op.selectionSet.selections[0] as FieldNode;
  return { request: { schema, fragments: {}, variableValues: {} }, type: schema.getType('Entity') as never, nodes: [field] };
}
const Q = process.argv[2] === 'entity'
  ? `{ entity(id: "x") { id kind name aliases belongsTo { id name } facts { id type status role subject { id name } object { id name } } } }`
  : `{ entity(id: "x") { id name facts(types: [PARTICIPATES_IN]) { id role object { id } subject { id name facts(types: [MEMBER_OF]) { id subject { id } object { id name } } } } } }`;
(async () => {
  const db = new Db(createDriver({ uri: 'bolt://127.0.0.1:17687', user: 'neo4j', password: '', poolSize: 4 }), { database: undefined, queryTimeoutMs: 60000, logger });
  const c = compileEntity(pos(Q), process.argv[3] ?? 'org-00000');
  for (let i = 0; i < 3; i++) { const t = performance.now(); const rows = await db.read(c.cypher, c.params); console.log('ms', (performance.now() - t).toFixed(0), JSON.stringify(rows).length); }
  if (process.argv[4] === 'profile') {
    const r = await db.driver.executeQuery(`PROFILE ${c.cypher}`, c.params);
    const walk = (p: any, d = 0): void => { console.log(' '.repeat(d) + p.operatorType, p.dbHits, p.rows); (p.children ?? []).forEach((ch: any) => walk(ch, d + 1)); };
    walk(r.summary.profile);
  }
  await db.close();
})();
