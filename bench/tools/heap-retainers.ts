/**
 * Who holds the nodes of one kind in a heap snapshot: for every node whose `type:name` (as
 * bench/tools/heap-diff.ts prints it) matches, its retainers' `type:name` and the edge's name,
 * counted and summed by self size, largest first.
 *   npx tsx bench/tools/heap-retainers.ts file.heapsnapshot 'array:(object properties)' [rows=25]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const [file, wanted, rows = '25'] = process.argv.slice(2);

const snap = JSON.parse(readFileSync(file!, 'utf8')) as Snapshot;
const meta = snap.snapshot.meta;
const nw = meta.node_fields.length;
const ew = meta.edge_fields.length;
const nType = meta.node_fields.indexOf('type');
const nName = meta.node_fields.indexOf('name');
const nSize = meta.node_fields.indexOf('self_size');
const nEdges = meta.node_fields.indexOf('edge_count');
const eType = meta.edge_fields.indexOf('type');
const eName = meta.edge_fields.indexOf('name_or_index');
const eTo = meta.edge_fields.indexOf('to_node');
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];

function label(i: number): string {
  const type = nodeTypes[snap.nodes[i + nType]!]!;
  let name = snap.strings[snap.nodes[i + nName]!]!;
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
  return `${type}:${name.slice(0, 60)}`;
}

// With a third argument `via`, the nodes held through an edge of that name by a `wanted` node
// (e.g. 'object:Object' 'properties'): their holders are listed with the held size.
const via = process.argv[5];
const held = new Map<number, number>();
{
  let edge = 0;
  for (let i = 0; i < snap.nodes.length; i += nw) {
    const count = snap.nodes[i + nEdges]!;
    for (let e = 0; e < count; e++, edge += ew) {
      if (!via || label(i) !== wanted) continue;
      if (snap.strings[snap.edges[edge + eName]!] !== via) continue;
      const to = snap.edges[edge + eTo]!;
      held.set(i, (held.get(i) ?? 0) + snap.nodes[to + nSize]!);
    }
  }
}
const out = new Map<string, { count: number; size: number }>();
let edge = 0;
for (let i = 0; i < snap.nodes.length; i += nw) {
  const count = snap.nodes[i + nEdges]!;
  for (let e = 0; e < count; e++, edge += ew) {
    const to = snap.edges[edge + eTo]!;
    if (via ? !held.has(to) : label(to) !== wanted) continue;
    const et = edgeTypes[snap.edges[edge + eType]!]!;
    const en = et === 'element' || et === 'hidden' ? '[]' : snap.strings[snap.edges[edge + eName]!];
    if (et === 'weak') continue;
    const key = `${label(i)} .${en}`;
    const entry = out.get(key) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += via ? held.get(to)! : snap.nodes[to + nSize]!;
    out.set(key, entry);
  }
}
const list = [...out].sort((a, b) => b[1].size - a[1].size).slice(0, Number(rows));
for (const [key, v] of list)
  console.log(`${(v.size / 1024).toFixed(1).padStart(9)} KiB ${String(v.count).padStart(7)}  ${key}`);
