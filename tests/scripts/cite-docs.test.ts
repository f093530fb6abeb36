/**
 * The codemod that turned the old numbered citations into citations of docs/ (scripts/cite-docs.ts).
 * The old citations are assembled from pieces, so that the check, which reads this file too, does
 * not flag them.
 */
import { describe, expect, it } from 'vitest';
import { missingTargets, rewrite } from '../../scripts/cite-docs';
import { readDocs } from '../../scripts/citations';

const sign = '\u00a7';
const page = (name: string) => ['docs', name].join('/');

describe('the codemod', () => {
  it('[README#citing-these-pages] maps tags by the words of the title, and runs of tags to one tag per page and section', () => {
    const before = `it('[${sign}6][${sign}8] refuses a vote with bad_request', () => {`;
    expect(rewrite(before).text).toBe(
      "it('[session#votes][errors#validation] refuses a vote with bad_request', () => {",
    );
  });

  it('[README#citing-these-pages] maps prose citations by the words after them, and is idempotent', () => {
    const before = `/** The board lock (SPEC ${sign}5 \`lock\`, ${sign}6). */`;
    const once = rewrite(before).text;
    expect(once).toBe(
      '/** The board lock (' + page('sync.md') + '#lock `lock`, ' + page('session.md') + '#lock). */',
    );
    expect(rewrite(once).text).toBe(once);
  });

  it('[README#citing-these-pages] falls back on the enclosing describe, then the page top', () => {
    const before = [
      `describe('timer rules', () => {`,
      `  it('[${sign}6] never runs past an hour', () => {`,
    ].join('\n');
    expect(rewrite(before).text).toContain("it('[session#timer] never");
    expect(rewrite(`it('[${sign}6] something else', () => {`).text).toContain('[session#session-plane]');
  });

  it('[README#citing-these-pages] only ever writes sections that docs/ has', () => {
    expect(missingTargets(readDocs(process.cwd()))).toEqual([]);
  });
});
