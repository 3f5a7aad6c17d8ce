/** Stylesheets imported for their side effect; esbuild bundles them into the app's .css file. */
declare module '*.css';
