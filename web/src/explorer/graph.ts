/**
 * The network view: cytoscape.js with nodes styled by kind and edges by relationship type and
 * status. Plans (PLANNED, PROPOSED, ANNOUNCED) are dashed and orange, whatever their type, so a
 * plan is never read as a fact; ENDED facts are dotted. An edge shows its relationship when the
 * pointer is over it or it is selected.
 */
import cytoscape from 'cytoscape';
import type { EntityRef, Fact } from './api';

import { KIND_STYLE, PLAN_COLOUR, TYPE_COLOURS } from './style';

export { KIND_STYLE, PLAN_COLOUR, TYPE_COLOURS };

export interface GraphData {
  entities: EntityRef[];
  facts: Fact[];
  /** Structural links of a path (BELONGS_TO), which have no fact. */
  links?: Array<{ from: string; to: string; relation: string }>;
}

export interface GraphView {
  show(data: GraphData, highlight?: Set<string>): void;
  select(id: string): void;
  fit(): void;
  /** The label an edge shows on hover, or null when there is no such edge. */
  edgeLabel(id: string): string | null;
  readonly cy: cytoscape.Core;
}

export function createGraphView(container: HTMLElement, onSelect: (kind: 'node' | 'edge' | 'none', id: string) => void): GraphView {
  const cy = cytoscape({
    container,
    minZoom: 0.2,
    maxZoom: 3,
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(colour)',
          shape: 'data(shape)' as never,
          label: 'data(label)',
          color: '#111827',
          'font-size': 11,
          'font-family': 'system-ui, sans-serif',
          'text-valign': 'bottom',
          'text-margin-y': 4,
          'text-wrap': 'wrap',
          'text-max-width': '130px',
          'text-outline-color': '#ffffff',
          'text-outline-width': 2,
          width: 26,
          height: 26,
          'border-width': 2,
          'border-color': '#ffffff',
        },
      },
      { selector: 'node.focus', style: { width: 36, height: 36, 'font-weight': 'bold' } },
      {
        selector: 'edge',
        style: {
          width: 2,
          'line-color': 'data(colour)',
          'target-arrow-color': 'data(colour)',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
          'arrow-scale': 0.9,
          opacity: 0.9,
        },
      },
      { selector: 'edge.ended', style: { 'line-style': 'dotted', opacity: 0.7 } },
      { selector: 'edge.plan', style: { 'line-style': 'dashed', 'line-dash-pattern': [7, 5], 'line-color': PLAN_COLOUR, 'target-arrow-color': PLAN_COLOUR, 'target-arrow-shape': 'vee' } },
      { selector: 'edge.structural', style: { 'line-style': 'dotted', 'target-arrow-shape': 'none' } },
      { selector: 'edge.path', style: { width: 5 } },
      { selector: 'node.path', style: { 'border-color': '#f59e0b', 'border-width': 4 } },
      {
        // Hovered or selected: the relationship (and role, and status for a plan) as a label.
        selector: 'edge:selected, edge.hover',
        style: {
          width: 5,
          label: 'data(label)',
          'font-size': 10,
          color: '#111827',
          'text-background-color': '#ffffff',
          'text-background-opacity': 0.9,
          'text-rotation': 'autorotate',
        },
      },
      { selector: 'node:selected', style: { 'border-color': '#111827', 'border-width': 4 } },
    ],
  });

  cy.on('mouseover', 'edge', (event) => event.target.addClass('hover'));
  cy.on('mouseout', 'edge', (event) => event.target.removeClass('hover'));
  cy.on('tap', 'node', (event) => onSelect('node', event.target.id()));
  cy.on('tap', 'edge', (event) => onSelect('edge', event.target.id()));
  cy.on('tap', (event) => {
    if (event.target === cy) onSelect('none', '');
  });

  return {
    cy,
    show(data, highlight = new Set()) {
      const elements: cytoscape.ElementDefinition[] = [];
      const seen = new Set<string>();
      const addNode = (e: EntityRef) => {
        if (seen.has(e.id)) return;
        seen.add(e.id);
        const style = KIND_STYLE[e.kind] ?? { colour: '#555', shape: 'ellipse' as const };
        elements.push({ group: 'nodes', data: { id: e.id, label: e.name, colour: style.colour, shape: style.shape }, classes: highlight.has(e.id) ? 'path' : '' });
      };
      for (const e of data.entities) addNode(e);
      for (const f of data.facts) {
        addNode(f.subject);
        addNode(f.object);
        const plan = !f.isFactual;
        elements.push({
          group: 'edges',
          data: {
            id: f.id,
            source: f.subject.id,
            target: f.object.id,
            colour: TYPE_COLOURS[f.type] ?? '#555',
            label: `${f.type}${f.role ? ` (${f.role})` : ''}${plan ? ` · ${f.status}` : ''}`,
          },
          classes: [plan ? 'plan' : '', f.status === 'ENDED' ? 'ended' : '', highlight.has(f.id) ? 'path' : ''].join(' ').trim(),
        });
      }
      for (const link of data.links ?? []) {
        const id = `link:${link.from}->${link.to}`;
        if (seen.has(id)) continue;
        seen.add(id);
        elements.push({ group: 'edges', data: { id, source: link.from, target: link.to, colour: TYPE_COLOURS.BELONGS_TO, label: link.relation }, classes: 'structural path' });
      }
      cy.elements().remove();
      cy.add(elements);
      cy.layout({ name: elements.length > 1 ? 'cose' : 'grid', animate: false, fit: true, padding: 40, randomize: false, nodeDimensionsIncludeLabels: true, nodeRepulsion: () => 12000, idealEdgeLength: () => 110 } as cytoscape.LayoutOptions).run();
    },
    select(id) {
      cy.elements().unselect();
      const element = cy.getElementById(id);
      if (element.nonempty()) {
        element.select();
        if (element.isNode()) cy.animate({ center: { eles: element } }, { duration: 200 });
      }
    },
    fit() {
      cy.fit(undefined, 40);
    },
    edgeLabel(id) {
      const edge = cy.getElementById(id);
      return edge.nonempty() && edge.isEdge() ? (edge.data('label') as string) : null;
    },
  };
}
