/**
 * GraphML (http://graphml.graphdrawing.org/): every attribute declared as a <key> with its
 * attr.type, values escaped for XML 1.0, characters XML 1.0 cannot carry replaced by U+FFFD.
 * Nulls are left out, as GraphML means by a missing <data>.
 */
import type { ExportFactRecord } from '../db/export';
import type { EntityRecord } from '../db/records';
import { EDGE_COLUMNS, NODE_COLUMNS, type Column } from './table';

// Anything outside XML 1.0's Char production (this includes lone surrogates, matched as code points with /u).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: & and < must be escaped, > too (for "]]>"), and CR kept as a reference. */
export function xmlText(value: string): string {
  return value
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

/** An attribute value in double quotes; tab and line breaks as references so parsers keep them. */
export function xmlAttribute(value: string): string {
  return xmlText(value).replaceAll('"', '&quot;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;');
}

// Key ids: n0… for nodes, e0… for edges; the attribute's own name goes in attr.name.
const NODE_DATA = NODE_COLUMNS.filter((c) => c.name !== 'id');
const EDGE_DATA = EDGE_COLUMNS.filter((c) => !['id', 'source', 'target'].includes(c.name));

function keys<T>(prefix: string, target: 'node' | 'edge', columns: ReadonlyArray<Column<T>>): string[] {
  return columns.map((c, i) => `  <key id="${prefix}${i}" for="${target}" attr.name="${xmlAttribute(c.name)}" attr.type="string"/>`);
}

function data<T>(prefix: string, columns: ReadonlyArray<Column<T>>, row: T): string {
  return columns
    .map((c, i) => {
      const value = c.value(row);
      return value === null ? '' : `\n      <data key="${prefix}${i}">${xmlText(value)}</data>`;
    })
    .join('');
}

export function toGraphml(entities: readonly EntityRecord[], facts: readonly ExportFactRecord[], description: string): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"',
    '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '    xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...keys('n', 'node', NODE_DATA),
    ...keys('e', 'edge', EDGE_DATA),
    '  <graph id="defence-cooperation" edgedefault="directed">',
    `    <desc>${xmlText(description)}</desc>`,
  ];
  for (const entity of entities) lines.push(`    <node id="${xmlAttribute(entity.id)}">${data('n', NODE_DATA, entity)}\n    </node>`);
  for (const fact of facts) {
    lines.push(
      `    <edge id="${xmlAttribute(fact.id)}" source="${xmlAttribute(fact.subject)}" target="${xmlAttribute(fact.object)}">${data('e', EDGE_DATA, fact)}\n    </edge>`,
    );
  }
  lines.push('  </graph>', '</graphml>', '');
  return lines.join('\n');
}
