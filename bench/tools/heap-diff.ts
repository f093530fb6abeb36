/**
 * Two heap snapshots (node --heapsnapshot-signal, v8.getHeapSnapshot) summarised by node type and
 * name, and what grew from the first to the second: count and self size, largest first.
 *   npx tsx bench/tools/heap-diff.ts before.heapsnapshot after.heapsnapshot [rows=40]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

function summarise(path: string): Map<string, { count: number; size: number }> {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    let name = snap.strings[snap.nodes[i + nameAt]!]!;
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    if (type === 'number') name = '(number)';
    const key = `${type}:${name.slice(0, 60)}`;
    const entry = out.get(key) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += snap.nodes[i + sizeAt]!;
    out.set(key, entry);
  }
  return out;
}

const [a, b, rows = '40'] = process.argv.slice(2);
const before = summarise(a!);
const after = summarise(b!);
const diff = [...after].map(([key, v]) => {
  const w = before.get(key) ?? { count: 0, size: 0 };
  return { key, count: v.count - w.count, size: v.size - w.size };
});
diff.sort((x, y) => y.size - x.size);
const total = diff.reduce((s, d) => s + d.size, 0);
console.log(`total self-size growth ${(total / 1024).toFixed(0)} KiB`);
for (const d of diff.slice(0, Number(rows)))
  console.log(`${(d.size / 1024).toFixed(1).padStart(9)} KiB ${String(d.count).padStart(7)}  ${d.key}`);
