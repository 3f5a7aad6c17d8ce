/** Reads a document file (YAML or JSON) and its source text, for validateDocument(). */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { RawDocument } from './validate';

export function readDocument(file: string): RawDocument {
  const content = fs.readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = file.endsWith('.json') ? JSON.parse(content) : YAML.parse(content, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    return { file, data: undefined, textBytes: 'was not read', parseError: (error as Error).message };
  }
  let textBytes: Buffer | string = 'is missing from the document';
  const textFile = (data as { source?: { textFile?: unknown } } | null)?.source?.textFile;
  if (typeof textFile === 'string') {
    const resolved = path.resolve(path.dirname(file), textFile);
    try {
      textBytes = fs.readFileSync(resolved);
    } catch {
      textBytes = `cannot be read (looked for ${resolved})`;
    }
  }
  return { file, data, textBytes };
}
