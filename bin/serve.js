#!/usr/bin/env node
// What `npm start` runs once it has built dist/: `dcg serve` from the compiled JavaScript, without tsx.
const path = require('node:path');

require(path.join(__dirname, '..', 'dist', 'cli', 'main.js')).main([process.argv[0], path.join(__dirname, 'dcg.js'), 'serve', ...process.argv.slice(2)]);
