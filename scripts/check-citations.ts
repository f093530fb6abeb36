/**
 * `npm run check`'s citation step: every citation of docs/ in the code, the tests and the docs
 * names a page and a section that exist, and nothing points at a document outside the repository
 * (scripts/citations.ts says what a citation looks like). Prints `file:line: problem` for each,
 * and exits 1 if there is any.
 *
 *   npx tsx scripts/check-citations.ts [root]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText, readDocs, readTree } from './citations';

const root = resolve(process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..'));
const started = performance.now();
const docs = readDocs(root);
const files = readTree(root);
let problems = 0;
for (const path of files) {
  for (const problem of checkText(readFileSync(join(root, path), 'utf8'), path, { root, docs })) {
    console.error(`${path}:${problem.line}: ${problem.message}`);
    problems += 1;
  }
}
const ms = Math.round(performance.now() - started);
if (problems > 0) {
  console.error(`citations: ${problems} problem(s) in ${files.length} files (${ms} ms)`);
  process.exit(1);
}
console.log(
  `citations: ${files.length} files, ${docs.size} pages of docs/, all citations resolve (${ms} ms)`,
);
