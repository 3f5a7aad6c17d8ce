#!/usr/bin/env node
// Bundles the browser pages (web/src/) into web/dist/ with esbuild: GraphiQL and the explorer,
// JavaScript and CSS only from npm packages, nothing fetched at run time. npm install runs it
// (the `prepare` script); without the dev dependencies (npm ci --omit=dev) it says so and skips,
// and the server then explains that the pages are not built.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'web', 'src');
const dist = path.join(root, 'web', 'dist');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('build-web: esbuild is not installed (dev dependencies omitted?); the explorer and GraphiQL pages are not built.\n');
  process.exit(0);
}

const apps = {
  graphiql: { entries: { graphiql: 'main.tsx' }, statics: ['index.html', 'page.css'] },
  explorer: { entries: { explorer: 'main.ts', source: 'source.ts' }, statics: ['index.html', 'source.html', 'explorer.css'] },
};

const started = performance.now();
fs.rmSync(dist, { recursive: true, force: true });
for (const [name, app] of Object.entries(apps)) {
  const outdir = path.join(dist, name);
  fs.mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(app.entries).map(([out, entry]) => [out, path.join(src, name, entry)])),
    outdir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff2': 'dataurl', '.png': 'dataurl', '.svg': 'dataurl' },
    legalComments: 'linked',
    logLevel: 'warning',
  });
  for (const file of app.statics) fs.copyFileSync(path.join(src, name, file), path.join(outdir, file));
}
const sizes = Object.keys(apps)
  .flatMap((name) => fs.readdirSync(path.join(dist, name)).map((file) => `${name}/${file} ${(fs.statSync(path.join(dist, name, file)).size / 1024).toFixed(0)} kB`))
  .join(', ');
process.stderr.write(`build-web: web/dist/ in ${Math.round(performance.now() - started)} ms (${sizes})\n`);
