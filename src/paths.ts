/** Where the project's files are, whether running from src/ (tsx, jest) or dist/ (built). */
import fs from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema.graphql');
export const SEED_DIR = path.join(PROJECT_ROOT, 'seed');
export const LAUNCHER_DIR = path.join(PROJECT_ROOT, 'neo4j-launcher');
