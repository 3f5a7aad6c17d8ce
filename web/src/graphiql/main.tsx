/**
 * GraphiQL, bundled (no CDN): the API's own /graphql on this server, with the analyst's example
 * questions as tabs. Requests are plain POSTs with content-type application/json.
 */
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createElement, type ComponentProps } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLES } from './examples';

const fetcher: ComponentProps<typeof GraphiQL>['fetcher'] = async (params) => {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify(params),
  });
  return response.json();
};

const root = document.getElementById('graphiql');
if (!root) throw new Error('No #graphiql element');
createRoot(root).render(
  createElement(GraphiQL, {
    fetcher,
    defaultTabs: EXAMPLES.map((example) => ({ query: example.query, variables: example.variables ?? null })),
    defaultEditorToolsVisibility: true,
  }),
);
