import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__DCG_NEO4J__?.stop();
  const dataDir = process.env.DCG_TEST_NEO4J_DATA;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
