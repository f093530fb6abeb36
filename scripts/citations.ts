/**
 * Citations of the contracts in docs/: how they are written, how a page's section ids are made,
 * and what is wrong with the citations of one file. Pure functions over text, plus `readTree`,
 * which lists the files they apply to; scripts/check-citations.ts runs them over the repository.
 * No dependency beyond Node.
 *
 * - `docs/<page>.md` or `docs/<page>.md#<id>`, in comments and prose (a path from the root);
 * - `[<page>#<id>]`, at the start of a test's title;
 * - in Markdown, relative links `[text](<file>.md#<id>)` and `[text](#<id>)`.
 *
 * Ids are GitHub's heading anchors (docs/README.md#citing-these-pages), or an explicit
 * `<a id="…"></a>`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** What the check reads, from the repository's root. */
export const SCANNED = [
  'server',
  'shared',
  'client/src',
  'tests',
  'bench',
  'scripts',
  '.ci',
  'README.md',
  'docs',
];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'results', 'test-results', 'data']);
const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** `docs/<page>.md[#id]`, not inside a longer path or a URL. */
export const PATH_CITATION = /(?<![\w./-])docs\/([\w-]+\.md)(?:#([\w-]+))?/g;
/** `[<page>#<id>]`, a test title's tag. */
export const TAG_CITATION = /\[([A-Za-z][\w-]*)#([\w-]+)\]/g;
/** A Markdown link to a page, a page's section, or a section of the same page. */
const MARKDOWN_LINK = /\]\((?!https?:|mailto:)([^)\s#]*)(?:#([^)\s]+))?\)/g;
/**
 * What must not come back: the section sign of the old numbered specification (written here by
 * its code point, so that this file does not match itself), and the specification's file.
 */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/SPEC\s*\u00a7/g, 'cites the old specification: cite a page of docs/ instead'],
  [/\[\u00a7\s*\d/g, 'an old numbered tag: tag the test with [<page>#<id>] instead'],
  [/(?<!\[|SPEC\s{0,3})\u00a7\s*\d/g, 'an old section number: cite a page of docs/ instead'],
  [/SPEC\.md/g, 'names a specification outside the repository: cite a page of docs/ instead'],
  [
    /\b(?:it|test|describe)\(\s*['"`]\[(?![A-Za-z][\w-]*#|\$)[^\]\n]*\]/g,
    'a test tag that names no section: tag the test with [<page>#<id>]',
  ],
];
/** A relative path; one that leaves the repository is refused. */
const RELATIVE_PATH = /(?<![\w./-])((?:\.\.\/)+)([\w.-]+)/g;

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The section ids of a Markdown page: its headings' anchors (repeats numbered) and explicit ids. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const fenceMark = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark) {
      if (fence === null) fence = fenceMark[0] ?? null;
      else if (fenceMark[0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const slug = headingSlug(heading);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  }
  return anchors;
}

/** The section ids of every page under docs/, by file name (`sync.md`). */
export function readDocs(root: string): Map<string, Set<string>> {
  const pages = new Map<string, Set<string>>();
  const dir = join(root, 'docs');
  if (!existsSync(dir)) return pages;
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.md')) pages.set(name, anchorsOf(readFileSync(join(dir, name), 'utf8')));
  }
  return pages;
}

/** The text files the check reads, as paths from `root`. */
export function readTree(root: string, roots: readonly string[] = SCANNED): string[] {
  const files: string[] = [];
  const visit = (path: string): void => {
    const full = join(root, path);
    if (!existsSync(full)) return;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      for (const name of readdirSync(full).sort()) {
        if (!SKIPPED_DIRS.has(name)) visit(path === '' ? name : `${path}/${name}`);
      }
    } else if (stat.isFile() && stat.size <= MAX_FILE_BYTES) {
      files.push(path);
    }
  };
  for (const path of roots) visit(path);
  return files;
}

export interface Problem {
  /** 1-based. */
  line: number;
  message: string;
}

export interface Context {
  /** The repository's root, absolute. */
  root: string;
  /** docs/ pages and their ids (readDocs). */
  docs: Map<string, Set<string>>;
  /** Reads a Markdown file a relative link names, for its anchors; null if it does not exist. */
  anchorsOfFile?: (absolutePath: string) => Set<string> | null;
}

function checkPage(docs: Map<string, Set<string>>, page: string, id: string | undefined): string | null {
  const ids = docs.get(page);
  if (!ids) return `docs/${page} does not exist`;
  if (id !== undefined && !ids.has(id)) return `docs/${page} has no section #${id}`;
  return null;
}

function defaultAnchorsOfFile(path: string): Set<string> | null {
  if (!existsSync(path) || !statSync(path).isFile()) return null;
  return path.endsWith('.md') ? anchorsOf(readFileSync(path, 'utf8')) : new Set();
}

/** The 1-based line of `offset` in a text whose lines start at `starts`. */
function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/**
 * Everything wrong with the citations of one file, `path` being where it lies from the root. Each
 * pattern runs over the whole text once; lines are counted only for what it finds.
 */
export function checkText(text: string, path: string, context: Context): Problem[] {
  if (text.includes('\u0000')) return [];
  const { root, docs } = context;
  const anchorsOfFile = context.anchorsOfFile ?? defaultAnchorsOfFile;
  const folder = dirname(resolve(root, path));
  const problems: Problem[] = [];
  let starts: number[] | null = null;
  const seen = new Set<string>();
  const report = (offset: number, message: string): void => {
    starts ??= [0, ...[...text.matchAll(/\n/g)].map((match) => match.index + 1)];
    const line = lineAt(starts, offset);
    if (seen.has(`${line}:${message}`)) return;
    seen.add(`${line}:${message}`);
    problems.push({ line, message });
  };

  for (const match of text.matchAll(PATH_CITATION)) {
    const wrong = checkPage(docs, match[1] ?? '', match[2]);
    if (wrong) report(match.index, `${match[0]}: ${wrong}`);
  }
  for (const match of text.matchAll(TAG_CITATION)) {
    const wrong = checkPage(docs, `${match[1] ?? ''}.md`, match[2]);
    if (wrong) report(match.index, `${match[0]}: ${wrong}`);
  }
  if (path.endsWith('.md')) {
    const ownAnchors = anchorsOf(text);
    for (const match of text.matchAll(MARKDOWN_LINK)) {
      const target = match[1] ?? '';
      const id = match[2];
      if (target === '') {
        if (id !== undefined && !ownAnchors.has(id)) {
          report(match.index, `(#${id}): this page has no such section`);
        }
        continue;
      }
      const anchors = anchorsOfFile(resolve(folder, target));
      if (anchors === null) report(match.index, `(${target}): no such file`);
      else if (id !== undefined && target.endsWith('.md') && !anchors.has(id)) {
        report(match.index, `(${target}#${id}): ${target} has no such section`);
      }
    }
  }
  for (const [pattern, message] of FORBIDDEN) {
    for (const match of text.matchAll(pattern)) report(match.index, message);
  }
  for (const match of text.matchAll(RELATIVE_PATH)) {
    const inside = relative(root, resolve(folder, `${match[1] ?? ''}${match[2] ?? ''}`));
    if (inside === '..' || inside.startsWith(`..${sep}`)) {
      report(match.index, `${match[0]}: points outside the repository`);
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}
