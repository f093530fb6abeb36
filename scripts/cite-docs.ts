/**
 * Rewrites citations of the old numbered specification into citations of docs/ (the scheme is
 * in docs/README.md#citing-these-pages), in every file scripts/citations.ts scans:
 *
 *   `SPEC <sign>6 \`rev\``, `(<sign>7)`       → `docs/session.md#broadcasts`, `docs/export.md#…`
 *   test titles `[<sign>5][<sign>8] …`, `[<sign>6, <sign>7] …`  → `[sync#…][errors#…] …`
 *
 * (<sign> being the section sign, kept out of this file so that the check does not flag it.)
 * Each number picks a page; words near the citation — what follows it, else the rest of its line
 * (a test's title) — pick a section of that page through RULES, first match wins; a line that
 * matches many sections gets the page's top. Only ids that exist in docs/ are ever written: the
 * script checks every rule against the pages before it touches a file. Running it again changes
 * nothing.
 *
 *   npx tsx scripts/cite-docs.ts [--dry] [--no-format] [root]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import { readDocs, readTree } from './citations';

export interface Target {
  /** The page's name, `session` for docs/session.md. */
  page: string;
  /** A section id on that page. */
  id: string;
}

interface Section {
  /** Where a citation goes when no rule matches: the page's top section. */
  top: Target;
  /** Checked in order against the words near the citation, lower-cased. */
  rules: Array<[RegExp, string]>;
}

/** `page#id`; a leading `!` (a decisive rule: it wins even on a line about many sections) is dropped. */
const t = (target: string): Target => {
  const [page = '', id = ''] = target.replace(/^!/, '').split('#');
  return { page, id };
};

/** The old numbered sections, each to a page of docs/ and its sections by keyword. */
export const SECTIONS: Record<number, Section> = {
  1: {
    top: t('product#who-uses-it'),
    rules: [
      [/\bphases?\b|moves? everyone|move the meeting|stepping back/, 'product#phases'],
      [/vot|tall|agree|budget|item_cap|\bdots?\b/, 'product#phases'],
      [/\bhats?\b|day-to-day|tasks?\b|workload|summary/, 'product#day-to-day'],
      [/offline|disconnect|converge|merge|online|live\b|providers?\b/, 'product#working-together'],
      [/reload|same participant|identity|token|localstorage/, 'product#identity'],
      [/facilitator|participant|\broles?\b/, 'product#roles'],
    ],
  },
  2: {
    top: t('product#template'),
    rules: [
      [/pulse|anonymous/, 'product#team-pulse'],
      [/commitment|check-in|wrap-up/, 'product#commitments'],
      [/challenge|obstacle/, 'product#challenges'],
      [/suggest/, 'product#goal-suggestions'],
      [/\bhats?\b|day-to-day|\btasks?\b|workload|estimate|how often|how long|summary/, 'product#day-to-day'],
      [/question|discover/, 'product#discovery-questions'],
      [/blank template|.blank. template|template .?blank/, 'product#blank'],
    ],
  },
  3: { top: t('product#architecture'), rules: [] },
  4: {
    top: t('http#http-api'),
    rules: [
      // A list of what the routes do is about them all.
      [/create, read|read, join/, '!http#http-api'],
      [/json schema|\/schema|schema as/, 'http#schema'],
      [/file ?name|slug/, '!http#export'],
      [/export|content-disposition|status=/, 'http#export'],
      [/health/, 'http#health'],
      [/rate|\b429\b|too many|retry-after|burst|per address/, 'http#rate-limits'],
      [
        /\bcreat(e|es|ed|ing)\b.{0,12}boards?\b|new boards?\b|unguessable|randomness|\bbits\b/,
        'http#create-a-board',
      ],
      [/join|facilitatorkey|facilitator key|wrong_key|\bnames?\b|tokens?\b/, 'http#join-a-board'],
      [
        /\bbody|bodies|json|media type|text\/plain|multipart|gzip|chunked|prototype|methods?\b|\bhead\b|stack|internal|\{"error"/,
        'http#conventions',
      ],
      [/\btitle|\blocale|\btemplate/, 'http#create-a-board'],
      [/summary|get \/api|lists?\b|participanturl|public_url|share link/, 'http#read-a-board'],
      [/\b4\d\d\b|\b50\d\b|status|errors?\b/, 'http#status-codes'],
    ],
  },
  5: {
    top: t('sync#the-sync-endpoint'),
    rules: [
      [/\block|4423/, 'sync#lock'],
      [/offline|indexeddb|disconnected|network returns/, 'sync#offline'],
      [/awareness|presence/, 'sync#presence'],
      [/frames?\b|1 mib|1009|1007/, 'sync#frames'],
      [
        /4413|4422|max_doc|size limit|the board.s rules|nest|arrays|binary|unknown roots|100 kb|guard/,
        'sync#what-the-server-accepts',
      ],
      [/4401|4404|4408|4409|4500|4507|1011|1013|close codes?|stops|says why|for good/, 'sync#close-codes'],
      [/layout|roots?\b|y\.map|own key|each field/, 'sync#document-layout'],
      [
        /waits? for|waiting|missing (structs|content|dependenc)|dependenc|pending|expire/,
        'sync#content-that-waits',
      ],
      [/per ip|per address|connections from/, 'sync#connections'],
      [
        /malformed|rogue|skip|wrong shape|wrong type|bound|garbage|untrusted|never a crash|reads? .* as/,
        'sync#readers',
      ],
      [/\border\b|fractional|__proto__|\bids?\b|\bkeys?\b/, 'sync#ids-and-order'],
      [
        /goals?\b|cards?\b|\bhats?\b|question|\bmeta\b|roots?\b|layout|fields?\b|workload|commitment|estimate|\bdue\b|trim/,
        'sync#document-layout',
      ],
      [/converge|providers?\b|stock|y-websocket|connect|sync/, 'sync#connecting'],
    ],
  },
  6: {
    top: t('session#session-plane'),
    rules: [
      [/\brev (grows|keeps)|coalesc/, 'session#broadcasts'],
      [
        /malformed auth|missing .{0,20}auth|connect_error|bad_token|tokens? (are|is) signed/,
        'session#connecting',
      ],
      [/pulse/, 'session#pulse'],
      [/reaction|emoji/, 'session#reactions'],
      [/\block/, 'session#lock'],
      [/timer|countdown|endsat|pausedremaining|durationms/, 'session#timer'],
      [/remov/, 'session#removing-someone'],
      [/ballot|reveal|votesperperson|maxperitem|opens voting|\breset/, 'session#voting'],
      [/vot|tall|budget|item_cap|below_zero|myvotes/, 'session#votes'],
      [/agree/, 'session#agreement'],
      [/phase|moves? everyone|move the meeting/, 'session#phase'],
      [/\brev\b|broadcast|servernow/, 'session#broadcasts'],
      [/online|offline|presence|\btabs\b|listed/, 'session#presence'],
      [/error codes/, '!errors#error-codes'],
      [/packets?\b|64 kib|frames?\b/, 'session#frames'],
      [
        /malformed|bad_request|unknown event|payload|acknowledg|rate_limited|flood|not_facilitator|events?\b/,
        'session#requests',
      ],
      [
        /tokens?\b|connect_error|\bauth\b|handshake|bad_token|unknown.board|connects? with/,
        'session#connecting',
      ],
      [/holds and shows|state/, 'session#session-state'],
    ],
  },
  7: {
    top: t('export#agreed-goals-export'),
    rules: [
      [/"description"/, 'export#schema'],
      [/additive|ignore fields|commitment|check-in|nextcheckin/, 'export#additive-fields'],
      [/schema/, 'export#schema'],
      [/hidden|reveal|\bnull\b|facilitator.s token|leak/, 'export#hidden-votes'],
      [/\brank|\border\b|ties?\b|sort/, 'export#order-and-rank'],
      [/status|proposed|\ball\b/, 'export#which-goals'],
      [/file ?name|slug|disposition/, 'export#file-name'],
      [/voters|votescast|deleted|edited|empty string|\bdue\b|fields?\b|malformed|rogue/, 'export#fields'],
    ],
  },
  8: {
    top: t('errors#bad-input-and-faults'),
    rules: [
      [
        /sigkill|killed|kill\b|restart|survive|acknowledged|\blos(e|es|t)\b|durab|on disk|means stored|compaction|appends?\b|failed write/,
        'errors#durability',
      ],
      [/full disk|disk (is )?full|storage_full/, 'errors#full-disk'],
      [/html|headers?\b|nosniff|content-security|referrer/, 'errors#headers'],
      [/frames?\b|packets?\b|1 mib|64 kib|16 kib|1009|1007/, 'errors#frames'],
      [
        /flood|hostile|other boards?\b|another board|another client|rate_limited|\b429\b|per address|burst|x-forwarded|trust_proxy|takes? .* down/,
        'errors#isolation',
      ],
      [
        /characters?\b|code units?\b|over-long|too long|too_large|text limits?|limited to|\b500\b|\b120\b|\b121\b|\b40\b|\b41\b|cut at|trim|bound/,
        'errors#text-limits',
      ],
      [
        /rogue|document|written|y\.doc|untrusted|wrong shape|skips?\b|readers?\b|malformed (goals|items|people|cards)/,
        'errors#document-content',
      ],
      [
        /malformed|bad_request|payloads?\b|\bbody|bodies|validat|prototype|mistyped|odd ids|404|refuses?\b|input/,
        'errors#validation',
      ],
    ],
  },
  9: {
    top: t('running#running'),
    rules: [
      [/full disk|disk (is )?full|storage_full/, 'running#full-disk'],
      [/sigterm|sigint|shutdown|exit 0|stops cleanly/, 'running#shutdown'],
      [/process|redis|postgres|cluster|database|failed over|several|\bbus\b/, 'running#several-processes'],
      [/limits?\b|may use|max_|per address/, 'running#limits'],
      [/environment|\bport\b|public_url|data_dir|\bhost\b|configuration|config\b/, 'running#environment'],
      [/npm test|\btests?\b/, 'running#tests'],
      [/start|restart/, 'running#starting'],
    ],
  },
  10: {
    top: t('quality#quality-bars'),
    rules: [
      [/bench|performance|p99|ratio|workload|burst|targets?\b|memory/, 'quality#performance'],
      [/\btests?\b|crash/, 'quality#tests'],
    ],
  },
};

/** A comment that matches this many different sections of one page is about the page as a whole. */
const MANY_SECTIONS = 3;

function hits(section: Section, text: string): string[] {
  const found: string[] = [];
  for (const [pattern, target] of section.rules) {
    if (pattern.test(text) && !found.includes(target)) found.push(target);
  }
  return found;
}

export interface Near {
  /** The words right after a citation in prose (may be empty). */
  near: string;
  /** Its whole line, or the test's title. */
  line: string;
  /** Where it sits: the enclosing `describe` and the file's path (may be empty). */
  around: string;
  /** A test's tag (the first rule that matches wins) or a comment (many matches: the top). */
  kind: 'tag' | 'prose';
}

/** Where the old section `number` goes, from the words near it, nearest first. */
export function targetFor(number: number, { near, line, around, kind }: Near): Target {
  const section = SECTIONS[number];
  if (!section) throw new Error(`no page for the old section ${number}`);
  const close = near.trim() === '' ? [] : hits(section, near.toLowerCase());
  if (close[0]) return t(close[0]);
  const wide = hits(section, line.toLowerCase());
  const decisive = wide.find((target) => target.startsWith('!'));
  if (decisive) return t(decisive);
  if (kind === 'prose' && wide.length >= MANY_SECTIONS) return section.top;
  if (wide[0]) return t(wide[0]);
  const outer = hits(section, around.toLowerCase());
  return outer[0] ? t(outer[0]) : section.top;
}

const SIGN = '\u00a7';
/** A run of old tags: `[<sign>5][<sign>8]`, `[<sign>6, <sign>7]`. */
const TAG_RUN = new RegExp(`(?:\\[${SIGN}\\s*\\d+(?:\\s*,\\s*${SIGN}\\s*\\d+)*\\])+`, 'g');
/** `SPEC <sign>4, <sign>8` and a bare `<sign>7`, with up to 40 characters after it (`near`). */
const PROSE = new RegExp(`(?:SPEC\\s*)?${SIGN}\\s*(\\d+)((?:\\s*,\\s*${SIGN}\\s*\\d+)*)`, 'g');
const NUMBER = /\d+/g;

export interface Rewrite {
  text: string;
  /** Old citations rewritten, by kind. */
  tags: number;
  prose: number;
  /** How often each target was written. */
  targets: Map<string, number>;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

const DESCRIBE = /\bdescribe(?:\.\w+)*\(\s*(['"`])(.*)/;

/** Rewrites every old citation in `text` (of the file at `path`); the same text if there is none. */
export function rewrite(text: string, path = ''): Rewrite {
  const targets = new Map<string, number>();
  const count = (target: Target): Target => {
    const key = `${target.page}#${target.id}`;
    targets.set(key, (targets.get(key) ?? 0) + 1);
    return target;
  };
  let tags = 0;
  let prose = 0;
  if (!text.includes(SIGN)) return { text, tags, prose, targets };
  let describe = '';
  // The file's own name says what it is about (`timer`, `pulse`), its folders and suffix nothing.
  const where = (path.split('/').pop() ?? '').replace(/(\.test)?\.[a-z]+$/, '');
  const out = text
    .split('\n')
    .map((line) => {
      const described = DESCRIBE.exec(line)?.[2];
      if (described !== undefined) describe = described;
      if (!line.includes(SIGN)) return line;
      const around = `${describe} ${where}`;
      const tagged = line.replace(TAG_RUN, (run: string, offset: number) => {
        const title = line.slice(offset + run.length);
        const numbers = [...run.matchAll(NUMBER)].map((match) => Number(match[0]));
        tags += numbers.length;
        const written = numbers.map((number) =>
          count(targetFor(number, { near: '', line: title, around, kind: 'tag' })),
        );
        return unique(written.map(({ page, id }) => `[${page}#${id}]`)).join('');
      });
      return tagged.replace(PROSE, (match: string, first: string, more: string, offset: number) => {
        const after = tagged.slice(offset + match.length);
        const near = /^[^),;.]{0,40}/.exec(after)?.[0] ?? '';
        const numbers = [Number(first), ...[...more.matchAll(NUMBER)].map((m) => Number(m[0]))];
        prose += numbers.length;
        const written = numbers.map((number) =>
          count(targetFor(number, { near, line: tagged, around, kind: 'prose' })),
        );
        return unique(written.map(({ page, id }) => `docs/${page}.md#${id}`)).join(', ');
      });
    })
    .join('\n');
  return { text: out, tags, prose, targets };
}

/** Every target a rule can produce that docs/ does not have. */
export function missingTargets(docs: Map<string, Set<string>>): string[] {
  const missing: string[] = [];
  for (const section of Object.values(SECTIONS)) {
    for (const target of [section.top, ...section.rules.map(([, rule]) => t(rule))]) {
      if (!docs.get(`${target.page}.md`)?.has(target.id)) missing.push(`${target.page}#${target.id}`);
    }
  }
  return unique(missing);
}

/**
 * `after` formatted as prettier would, if `before` was: a longer citation may push a test's title
 * past the line width. A file that was not formatted before is left as the rewrite made it.
 */
async function formatted(root: string, full: string, before: string, after: string): Promise<string> {
  const info = await prettier.getFileInfo(full, { ignorePath: join(root, '.prettierignore') });
  if (info.ignored || info.inferredParser === null) return after;
  const options = { ...(await prettier.resolveConfig(full)), filepath: full };
  try {
    if (!(await prettier.check(before, options))) return after;
    return await prettier.format(after, options);
  } catch {
    return after;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dry = args.includes('--dry');
  const format = !args.includes('--no-format');
  const root = resolve(
    args.find((arg) => !arg.startsWith('--')) ?? join(fileURLToPath(import.meta.url), '..', '..'),
  );
  const missing = missingTargets(readDocs(root));
  if (missing.length > 0) {
    console.error(`cite-docs: these targets are not in docs/, nothing rewritten: ${missing.join(', ')}`);
    process.exit(1);
  }
  let files = 0;
  let tags = 0;
  let prose = 0;
  const targets = new Map<string, number>();
  for (const path of readTree(root)) {
    const full = join(root, path);
    const before = readFileSync(full, 'utf8');
    if (before.includes('\u0000')) continue;
    const after = rewrite(before, path);
    if (after.text === before) continue;
    files += 1;
    tags += after.tags;
    prose += after.prose;
    for (const [target, n] of after.targets) targets.set(target, (targets.get(target) ?? 0) + n);
    if (!dry) writeFileSync(full, format ? await formatted(root, full, before, after.text) : after.text);
  }
  console.log(
    `cite-docs: ${dry ? 'would rewrite' : 'rewrote'} ${files} files: ${tags} test tags, ${prose} citations in prose`,
  );
  for (const [target, n] of [...targets].sort((a, b) => b[1] - a[1])) console.log(`  ${n}\t${target}`);
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) await main();
