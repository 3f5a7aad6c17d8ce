#!/usr/bin/env node
// The dcg command: the TypeScript sources through tsx in a checkout, the compiled dist/ in an image built without src/.
const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
if (fs.existsSync(source)) {
  require('tsx/cjs');
  require(source).main(process.argv);
} else {
  require(path.join(__dirname, '..', 'dist', 'cli', 'main.js')).main(process.argv);
}
