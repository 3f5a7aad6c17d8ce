/**
 * How kinds, relationships and plans look, shared by the network view, its legend and the panels
 * (kept apart from graph.ts so that pages without a network do not bundle cytoscape.js).
 */
import type cytoscape from 'cytoscape';

/** Keyed by the API's EntityKind. */
export const KIND_STYLE: Record<string, { colour: string; shape: cytoscape.Css.NodeShape; label: string }> = {
  COUNTRY: { colour: '#1d4f91', shape: 'ellipse', label: 'Country' },
  ORGANISATION: { colour: '#6a3d9a', shape: 'hexagon', label: 'Organisation' },
  UNIT: { colour: '#1b7a3a', shape: 'diamond', label: 'Unit' },
  INITIATIVE: { colour: '#9a4d00', shape: 'round-rectangle', label: 'Initiative' },
  PERSON: { colour: '#a3195b', shape: 'triangle', label: 'Person' },
  EVENT: { colour: '#4a5563', shape: 'star', label: 'Event' },
  PLACE: { colour: '#00695c', shape: 'round-tag', label: 'Place' },
};

export const TYPE_COLOURS: Record<string, string> = {
  MEMBER_OF: '#5b6b7a',
  PARTICIPATES_IN: '#2f6db3',
  PART_OF: '#7a7a7a',
  DEPLOYED_AT: '#00796b',
  SUPPORTS: '#2e7d32',
  COOPERATES_WITH: '#6a3d9a',
  TRAINS_WITH: '#8e24aa',
  HOLDS_POSITION: '#a3195b',
  ATTENDS: '#455a64',
  HOSTS: '#6d4c41',
  CONCERNS: '#546e7a',
  COMMANDS: '#283593',
  LOCATED_IN: '#00838f',
  BELONGS_TO: '#9e9e9e',
};

export const PLAN_COLOUR = '#d35400';
