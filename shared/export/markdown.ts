/**
 * The summary as Markdown (docs/export.md#markdown): plain CommonMark — headings, lists, bold —
 * that reads the same in GitHub, Notion and Slack. What people wrote is escaped, so that a card
 * or a goal cannot make a link, a heading, a table or an image.
 */
import type { Locale } from '../board/layout';
import { CHECKIN_WORDS, formatValue } from './checkin-words';
import { looseAnswers, type Summary, type SummaryGoal } from './summary';
import { formatDay, formatNumber, SUMMARY_WORDS, type SummaryWords } from './summary-words';
import { linksMarkdown } from './summary-links';
import { consentLines } from './consent';

/**
 * One line of inert text: control characters and line breaks become spaces (a card cannot start
 * a block of its own), every character that makes inline markup is backslash-escaped, and so is
 * one that would open a block at the start of the line (heading, quote, list, setext underline).
 */
export function escapeMarkdown(text: string): string {
  const line = text
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const escaped = line
    .replace(/[\\`*_[\]<>|~$!]/g, '\\$&')
    .replace(/^([#>+=-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
  return isolateBidi(escaped);
}

/** Embeddings, overrides and isolates: U+202A–U+202E, U+2066–U+2069. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/**
 * A text holding bidirectional controls, made an isolate of its own (U+2068 … U+2069), so that an
 * override it leaves open cannot make the rest of the line read backwards (a title ending in
 * U+202E would show "(12 votes)" as "(setov 21)"). Its own closing marks go (they could close ours
 * early), and every isolate it opens is closed before ours. Text without such controls is unchanged.
 */
function isolateBidi(text: string): string {
  if (!BIDI_CONTROL.test(text)) return text;
  const inner = text.replace(/\u2069/g, '');
  const opened = inner.match(/[\u2066-\u2068]/g)?.length ?? 0;
  return `\u2068${inner}${'\u2069'.repeat(opened + 1)}`;
}

export type MarkdownScope = 'summary' | 'goals';

function votesOf(goal: SummaryGoal, words: SummaryWords): string {
  if (goal.votes === null) return words.votesHidden;
  return goal.tied ? `${words.votes(goal.votes)}, ${words.tied}` : words.votes(goal.votes);
}

function goalLines(goal: SummaryGoal, words: SummaryWords, locale: Locale): string[] {
  const lines = [`${goal.rank}. **${escapeMarkdown(goal.title)}** (${votesOf(goal, words)})`];
  const details: Array<[string, string]> = [
    [words.why, goal.why],
    [words.metric, goal.metric],
    [words.baseline, goal.baseline],
    [words.target, goal.target],
    [words.due, goal.due === null ? '' : formatDay(goal.due, locale)],
    [words.owner, goal.owner],
  ];
  for (const [label, value] of details) {
    if (value.trim() !== '') lines.push(`   - ${label}${words.colon}${escapeMarkdown(value)}`);
  }
  lines.push(...consentLines(goal.consent, locale, escapeMarkdown));
  return lines;
}

function goalsSection(summary: Summary, words: SummaryWords, locale: Locale): string[] {
  const heading = summary.goals.every((goal) => goal.status === 'agreed') ? words.agreedGoals : words.goals;
  const lines = [`## ${heading}`, ''];
  if (summary.goals.length === 0) lines.push(words.noGoals);
  for (const goal of summary.goals) lines.push(...goalLines(goal, words, locale));
  return lines;
}

/**
 * docs/export.md#check-in-fields: each check-in (oldest first) with the value, confidence and note
 * recorded for each listed goal.
 */
function checkinsSection(summary: Summary, words: SummaryWords, locale: Locale): string[] {
  const own = CHECKIN_WORDS[locale];
  const lines = [`## ${own.checkins}`];
  for (const checkin of summary.checkins) {
    const label = checkin.label.trim() ? ` — ${escapeMarkdown(checkin.label)}` : '';
    lines.push(
      '',
      `### ${formatDay(checkin.date, locale)}${label}${checkin.open ? ` (${own.open})` : ''}`,
      '',
    );
    let any = false;
    for (const goal of summary.goals) {
      const record = goal.checkins?.find((entry) => entry.checkinId === checkin.id);
      if (!record) continue;
      any = true;
      const note = record.note.trim() ? ` — ${escapeMarkdown(record.note)}` : '';
      lines.push(
        `- **${escapeMarkdown(goal.title)}**${words.colon}${formatValue(record.current, locale)} · ${own.confidence[record.confidence]}${note}`,
      );
    }
    if (!any) lines.push(own.noRecord);
  }
  return lines;
}

/**
 * The summary, or its goals alone (`scope: 'goals'`), as Markdown in `locale`'s words. Sections
 * are separated by a blank line; the text ends with one newline.
 */
export function toMarkdown(summary: Summary, locale: Locale, scope: MarkdownScope = 'summary'): string {
  const words = SUMMARY_WORDS[locale];
  const title = escapeMarkdown(summary.board.title) || words.summary;
  const sections: string[][] = [];
  sections.push([
    `# ${title}`,
    '',
    `${words.summary} · ${formatDay(summary.date, locale)} · [${words.link}](<${summary.board.url}>)`,
  ]);
  if (scope === 'goals') {
    sections.push(goalsSection(summary, words, locale));
    return sections.map((lines) => lines.join('\n')).join('\n\n') + '\n';
  }

  sections.push([
    `## ${words.people}`,
    '',
    summary.people.length === 0 ? words.none : summary.people.map(escapeMarkdown).join(', '),
  ]);
  sections.push(goalsSection(summary, words, locale));
  sections.push(...linksMarkdown(summary.links, locale, escapeMarkdown, words.colon));

  const commitments = [`## ${words.commitments}`, ''];
  if (summary.commitments.length === 0) commitments.push(words.none);
  for (const { text, owner } of summary.commitments) {
    commitments.push(`- ${escapeMarkdown(text)}${owner.trim() ? ` (${escapeMarkdown(owner)})` : ''}`);
  }
  commitments.push(
    '',
    `**${words.nextCheckIn}**${words.colon}${summary.nextCheckIn ? formatDay(summary.nextCheckIn, locale) : words.none}`,
  );
  sections.push(commitments);
  if (summary.checkins.length > 0) sections.push(checkinsSection(summary, words, locale));

  const discovery = [`## ${words.discovery}`];
  for (const entry of summary.discovery) {
    discovery.push('', `### ${escapeMarkdown(entry.question)}`, '');
    if (entry.answers.length === 0) discovery.push(words.noAnswers);
    // Themes first, their answers nested (docs/export.md#markdown); then the answers in none.
    for (const theme of entry.themes ?? []) {
      const name = escapeMarkdown(theme.name) || words.unnamedTheme;
      discovery.push(`- **${name}** (${words.theme})`);
      for (const answer of theme.answers) discovery.push(`   - ${escapeMarkdown(answer)}`);
    }
    for (const answer of looseAnswers(entry)) discovery.push(`- ${escapeMarkdown(answer)}`);
  }
  sections.push(discovery);

  const load = [`## ${words.load}`, ''];
  const tasks = summary.load.tasks.filter((task) => task.answered > 0);
  if (tasks.length === 0 && summary.load.people.length === 0) load.push(words.none);
  for (const task of tasks) {
    const amount = formatNumber(task.perWeek, locale);
    const perWeek = task.kind === 'duration' ? words.hoursPerWeek(amount) : words.timesPerWeek(amount);
    load.push(`- ${escapeMarkdown(task.text)}${words.colon}${perWeek} (${words.answered(task.answered)})`);
  }
  if (tasks.length > 0 && summary.load.people.length > 0) load.push('');
  for (const person of summary.load.people) {
    const hats = person.hats.map(escapeMarkdown).join(', ');
    const hours = words.hoursPerWeek(formatNumber(person.hoursPerWeek, locale));
    load.push(`- **${escapeMarkdown(person.name)}**${words.colon}${hours}${hats ? ` · ${hats}` : ''}`);
  }
  sections.push(load);

  if (summary.pulse) {
    const { average, count, distribution, helps } = summary.pulse;
    sections.push([
      `## ${words.pulse}`,
      '',
      words.pulseAverage(formatNumber(average, locale), count),
      '',
      ...distribution.map((people, index) => `- ${index + 1}/5: ${people}`),
      // What the team said would help, as shown with the results: one inert line each.
      ...(helps.length > 0
        ? ['', `### ${words.pulseHelps}`, '', ...helps.map((help) => `- ${escapeMarkdown(help)}`)]
        : []),
    ]);
  }
  return sections.map((lines) => lines.join('\n')).join('\n\n') + '\n';
}
