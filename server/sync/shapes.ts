/**
 * The field shapes the guard holds some entries to (docs/sync.md#what-the-server-accepts): the
 * challenges, the glossary and the goal fields that point at them. The guard checks the layout's
 * structure for every root; here, for these, it also checks that a key holds the kind of value the
 * readers expect, so a malformed entry is refused before it reaches anyone. Pure: no document.
 */
import * as Y from 'yjs';
import { isId } from '../../shared/ids';
import { ROOT } from '../../shared/board/layout';

type Content = Y.Item['content'];

type Kind = 'text' | 'string' | 'number' | 'id-or-null' | 'map' | 'true';

/** Per path below a root (`root/*` = an item's fields), what each known key may hold. */
const FIELDS: Record<string, Record<string, Kind>> = {
  [`${ROOT.challenges}/*`]: { id: 'string', title: 'text', order: 'string', createdAt: 'number' },
  [`${ROOT.glossary}/*`]: {
    id: 'string',
    name: 'text',
    definition: 'text',
    formula: 'text',
    owner: 'text',
    createdAt: 'number',
  },
  [`${ROOT.goals}/*`]: { metricId: 'id-or-null', challengeIds: 'map' },
};

/** Roots whose every entry is an item map under an id. */
const ITEM_ROOTS: ReadonlySet<string> = new Set([ROOT.challenges, ROOT.glossary]);

function valueOf(content: Content): { kind: 'any'; value: unknown } | { kind: 'type'; type: unknown } | null {
  if (content instanceof Y.ContentAny) return { kind: 'any', value: (content.arr as unknown[])[0] };
  if (content instanceof Y.ContentType) return { kind: 'type', type: content.type };
  return null;
}

function fits(kind: Kind, content: Content): boolean {
  const held = valueOf(content);
  if (!held) return false;
  if (held.kind === 'type') {
    if (kind === 'text') return held.type instanceof Y.Text;
    return kind === 'map' && held.type instanceof Y.Map;
  }
  const value = held.value;
  switch (kind) {
    case 'text':
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'id-or-null':
      return value === null || isId(value);
    case 'true':
      return value === true;
    case 'map':
      return false;
  }
}

/**
 * What is wrong with `content` written under `key` in the map at `path` (the root's name, then the
 * keys below it); null when nothing is, or when the path is not one of these entries'.
 */
export function shapeProblem(path: readonly string[], key: string, content: Content): string | null {
  if (content instanceof Y.ContentDeleted) return null;
  const [root] = path;
  if (root === undefined) return null;
  if (path.length === 1 && ITEM_ROOTS.has(root)) {
    if (!isId(key)) return `a ${root} entry needs an id as its key`;
    const held = valueOf(content);
    return held?.kind === 'type' && held.type instanceof Y.Map ? null : `a ${root} entry must be a map`;
  }
  if (path.length === 2) {
    const kind = FIELDS[`${root}/*`]?.[key];
    return kind === undefined || fits(kind, content)
      ? null
      : `${root} field "${key}" has the wrong kind of value`;
  }
  if (path.length === 3 && root === ROOT.goals && path[2] === 'challengeIds') {
    return isId(key) && fits('true', content) ? null : 'a goal’s challenges are challenge ids set to true';
  }
  return null;
}
