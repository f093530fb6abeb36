/**
 * The citation check's parser (scripts/citations.ts), on text made up here. Citations that must fail are assembled from
 * pieces, so that the check, which reads this file too, does not flag them.
 */
import { describe, expect, it } from 'vitest';
import { anchorsOf, checkText, headingSlug } from '../../scripts/citations';

const root = '/repo';
const docs = new Map([
  ['sync.md', new Set(['the-sync-endpoint', 'close-codes', 'lock'])],
  ['session.md', new Set(['session-plane', 'votes', 'timer'])],
]);
const check = (text: string, path = 'server/x.ts') => checkText(text, path, { root, docs });
const sign = '\u00a7';
const page = (name: string) => ['docs', name].join('/');

describe('section ids', () => {
  it('[README#citing-these-pages] are GitHub heading anchors: lower case, punctuation dropped, spaces to dashes', () => {
    expect(headingSlug('Close codes')).toBe('close-codes');
    expect(headingSlug('`GET /api/boards/:id` → 200')).toBe('get-apiboardsid--200');
    expect(headingSlug('What the server accepts, and why')).toBe('what-the-server-accepts-and-why');
    expect(headingSlug('Bad input & faults')).toBe('bad-input--faults');
  });

  it('[README#citing-these-pages] number repeated headings, skip fenced code and take explicit anchors', () => {
    const anchors = anchorsOf(
      ['# Page', '## Frames', '```', '## Not a heading', '```', '## Frames', '<a id="kept"></a>'].join('\n'),
    );
    expect([...anchors].sort()).toEqual(['frames', 'frames-1', 'kept', 'page']);
  });
});

describe('the citation check', () => {
  it('[README#citing-these-pages] accepts citations of pages and sections that exist, in prose and in tags', () => {
    const text = `// ${page('sync.md')}#lock and ${page('session.md')}\nit('[session#votes][sync#close-codes] …')`;
    expect(check(text)).toEqual([]);
  });

  it('[README#citing-these-pages] names the line of a missing page, a missing section and a broken tag', () => {
    const text = [
      'ok',
      `// see ${page('nope.md')}`,
      `// see ${page('sync.md')}#nope`,
      `it('[${'session'}#${'nope'}] …')`,
    ].join('\n');
    expect(check(text).map((problem) => problem.line)).toEqual([2, 3, 4]);
  });

  it('[README#citing-these-pages] refuses the old numbered citations and paths that leave the repository', () => {
    const text = [
      `// SPEC ${sign}6`,
      `it('[${sign}5] …')`,
      `// (${sign}7)`,
      `// ${['..', '..', '..', 'shared', 'SPEC'].join('/')}.md`,
      "import { x } from '../../shared/api';",
      `it(\n  '${'[room]'} a tag with no section', …)`,
    ].join('\n');
    const lines = check(text, 'server/http/app.ts').map((problem) => problem.line);
    expect([...new Set(lines)]).toEqual([1, 2, 3, 4, 6]);
  });

  it('[README#citing-these-pages] checks relative links and in-page links of Markdown pages', () => {
    const markdown = `# Title\n\n[a](#title) [b](#${'missing'}) [c](../README.md)`;
    const problems = checkText(markdown, page('x.md'), {
      root,
      docs,
      anchorsOfFile: (path) => (path === '/repo/README.md' ? new Set() : null),
    });
    expect(problems.map((problem) => problem.message)).toEqual([
      `(#${'missing'}): this page has no such section`,
    ]);
  });
});
