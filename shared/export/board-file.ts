/**
 * The whole board as one file (docs/export.md#whole-board-file): a pure builder from what the board
 * holds, and the valibot schema an import is checked against. Its JSON Schema sits beside this file
 * and is served at BOARD_SCHEMA_PATH.
 */
import * as v from 'valibot';
import { LIMIT, LOCALES, SECTIONS, TEMPLATE_IDS, type Locale, type TemplateId } from '../board/layout';
import type { Card, Commitment, Goal, Question, Theme } from '../board/layout';
import {
  DURATION_UNITS,
  ESTIMATE_MAX,
  PERIODS,
  TASK_KINDS,
  type Period,
  type DurationUnit,
  type Task,
  type WornHat,
} from '../board/daytoday';
import { goalHistory, type Checkin, type Confidence } from '../board/checkins';
import { isIsoDate } from '../board/read';
import { AppError } from '../errors';
import type { VotingSettings } from '../session/state';
import type { Votes } from '../session/voting';
import { buildGoalsExport, titleSlug } from './goals-export';
import { consentField, type ConsentResults, type ExportedConsent } from './consent';
import type { GoalLinks } from '../board/goal-links';
import {
  fileLinks,
  type FileChallenge,
  type FileGlossaryEntry,
  type FileGoalLinks,
} from './board-file-links';

export const BOARD_FILE_SCHEMA = 'atelier/board@1';
export const BOARD_SCHEMA_PATH = '/schema/board-1.json';
export const BOARD_FILE_VARIANTS = ['board', 'template'] as const;
export type BoardFileVariant = (typeof BOARD_FILE_VARIANTS)[number];

/** How many items of each kind a file may hold (docs/export.md#whole-board-file-limits). */
export const BOARD_FILE_MAX = {
  people: 500,
  questions: 200,
  answers: 2000,
  hats: 200,
  goals: 200,
  commitments: 100,
  challenges: 100,
  glossary: 200,
} as const;

export interface FileEstimate {
  person: string;
  amount?: number;
  unit?: DurationUnit;
  times?: number;
  per: Period;
}

export interface FileQuestion {
  section: 'discover' | 'day-to-day';
  /** Day-to-day questions only: whether the task asks how long or how often. */
  kind?: 'duration' | 'frequency';
  text: string;
  /** Discover questions of the board variant: the answer cards in display order. */
  answers?: Array<{ text: string; author: string | null }>;
  /** Day-to-day questions of the board variant: each person's answer. */
  estimates?: FileEstimate[];
  /**
   * Discover questions of the board variant, when some answers are grouped (docs/product.md#themes):
   * each theme's name and its answers, as positions in `answers`.
   */
  themes?: FileTheme[];
}

export interface FileTheme {
  name: string;
  answers: number[];
}

/**
 * Where a goal drafted from a theme came from: positions in `questions`, in that question's
 * `themes` (null when the theme is gone) and in its `answers`.
 */
export interface FileSource {
  question: number;
  theme: number | null;
  answers: number[];
}

/** `challenges` and `glossaryEntry` are additive (docs/export.md#whole-board-file). */
export interface FileGoal extends FileGoalLinks {
  title: string;
  why: string;
  metric: string;
  baseline: string;
  target: string;
  due?: string | null;
  owner?: string;
  author?: string | null;
  status?: 'agreed' | 'proposed';
  rank?: number;
  votes?: number;
  tied?: boolean;
  /**
   * Additive (docs/export.md#check-in-fields): this goal's records at each check-in, oldest first
   * (board variant only, when the board held check-ins). Not imported, like the votes.
   */
  checkins?: Array<{ date: string; label: string; current: number; confidence: Confidence; note: string }>;
  /** Additive (docs/export.md#consent-fields), board variant only. Not imported, like the votes. */
  consent?: ExportedConsent;
  source?: FileSource;
}

export interface BoardFile {
  schema: typeof BOARD_FILE_SCHEMA;
  variant: BoardFileVariant;
  exportedAt: string;
  board: { title: string; locale: Locale; template: TemplateId };
  people?: Array<{ ref: string; name: string }>;
  questions: FileQuestion[];
  hats: Array<{ label: string; added: boolean; wornBy?: string[] }>;
  goals: FileGoal[];
  commitments: Array<{ text: string; owner: string }>;
  nextCheckIn?: string | null;
  voting?: { votesPerPerson: number; revealed: boolean; voters: number; votesCast: number };
  /** Additive: the challenges lane, in order. */
  challenges?: FileChallenge[];
  /** Additive: the metric glossary. */
  glossary?: FileGlossaryEntry[];
}

export interface BoardFileInput extends Partial<GoalLinks> {
  meta: { title: string; locale: Locale; template: TemplateId; nextCheckIn: string | null };
  questions: readonly Question[];
  cards: ReadonlyMap<string, readonly Card[]>;
  /** Themes per question (docs/product.md#themes); none when absent. */
  themes?: ReadonlyMap<string, readonly Theme[]>;
  tasks: readonly Task[];
  hats: readonly WornHat[];
  goals: readonly Goal[];
  commitments: readonly Commitment[];
  /** The board's check-ins (readCheckins); absent or none: no check-in fields. */
  checkins?: readonly Checkin[];
  /** docs/export.md#consent-fields: consent results per goal id. */
  consent?: ConsentResults;
  /** The board's participants, in the order they joined. */
  participants: ReadonlyArray<{ id: string; name: string }>;
  votes: Votes;
  voting: Omit<VotingSettings, 'ballot'>;
  agreed: readonly string[];
  variant: BoardFileVariant;
  now: Date;
}

/**
 * The file (docs/export.md#whole-board-file). People are listed once, as `p1`, `p2`… in the order
 * they joined, and named by that reference elsewhere; the template variant holds none of them,
 * nor answers, estimates, owners, dates or decisions.
 */
export function buildBoardFile(input: BoardFileInput): BoardFile {
  const template = input.variant === 'template';
  const { title, locale, template: templateId } = input.meta;
  const refs = new Map(input.participants.map((person, index) => [person.id, `p${index + 1}`]));
  const refOf = (id: string): string | null => refs.get(id) ?? null;
  // Lists of people go in the order of `people`, whatever their ids on this board.
  const byRef = (a: string, b: string): number => Number(a.slice(1)) - Number(b.slice(1));
  const refsOf = (ids: readonly string[]): string[] =>
    ids
      .map((id) => refs.get(id))
      .filter((ref): ref is string => ref !== undefined)
      .sort(byRef);
  const tasks = new Map(input.tasks.map((task) => [task.id, task]));
  // Every text as an import reads it back: trimmed, never empty (an empty one is left out).
  const filled = <T>(items: readonly T[], textOf: (item: T) => string): T[] =>
    items.filter((item) => textOf(item).trim() !== '');

  // Where each answer and theme lands in the file, for themes and goal sources.
  const answerAt = new Map<string, { question: number; answer: number }>();
  const themeAt = new Map<string, number>();
  const listed = filled(input.questions, (question) => question.text);
  const questions = listed.map((question, questionIndex): FileQuestion => {
    if (question.section === 'discover') {
      if (template) return { section: 'discover', text: question.text };
      const cards = filled(input.cards.get(question.id) ?? [], (card) => card.text);
      const answers = cards.map((card, answer) => {
        answerAt.set(card.id, { question: questionIndex, answer });
        return { text: card.text.trim(), author: refOf(card.authorId) };
      });
      const themes: FileTheme[] = [];
      for (const theme of input.themes?.get(question.id) ?? []) {
        const positions = theme.cardIds.flatMap((id) => {
          const at = answerAt.get(id);
          return at ? [at.answer] : [];
        });
        if (positions.length === 0) continue;
        themeAt.set(theme.id, themes.length);
        themes.push({ name: theme.name.trim().slice(0, LIMIT.title), answers: positions });
      }
      return {
        section: 'discover',
        text: question.text.trim(),
        answers,
        ...(themes.length > 0 ? { themes } : {}),
      };
    }
    const task = tasks.get(question.id);
    const kind = task?.kind ?? 'duration';
    if (template) return { section: 'day-to-day', kind, text: question.text.trim() };
    const estimates: FileEstimate[] = [];
    for (const answer of task?.answers ?? []) {
      const person = refOf(answer.participantId);
      if (person !== null) estimates.push({ person, ...answer.estimate });
    }
    estimates.sort((a, b) => byRef(a.person, b.person));
    return { section: 'day-to-day', kind, text: question.text.trim(), estimates };
  });

  const hats = filled(input.hats, (hat) => hat.label).map((hat) => {
    const label = hat.label.trim().slice(0, LIMIT.title);
    return template ? { label, added: hat.added } : { label, added: hat.added, wornBy: refsOf(hat.wornBy) };
  });

  // Ranks, votes and ties as the facilitator sees them: the goals export's, for every goal.
  const ranked = buildGoalsExport({
    board: { id: '', title, url: '' },
    goals: input.goals,
    votes: input.votes,
    voting: input.voting,
    agreed: input.agreed,
    commitments: [],
    nextCheckIn: null,
    showVotes: true,
    status: 'all',
    now: input.now,
  });
  const decided = new Map(ranked.goals.map((goal) => [goal.id, goal]));
  const checkins = input.checkins ?? [];
  const links = fileLinks(input, template);
  /** A goal's source as positions in the file; left out when none of its answers is in the file. */
  const sourceOf = (goal: Goal): { source?: FileSource } => {
    if (!goal.source) return {};
    const places = goal.source.cardIds.flatMap((id) => answerAt.get(id) ?? []);
    const question = places[0]?.question;
    if (question === undefined) return {};
    return {
      source: {
        question,
        theme: themeAt.get(goal.source.themeId) ?? null,
        answers: places.filter((place) => place.question === question).map((place) => place.answer),
      },
    };
  };
  const goals = filled(input.goals, (goal) => goal.title).map((goal): FileGoal => {
    const texts = {
      title: goal.title.trim(),
      why: goal.why.trim(),
      metric: goal.metric.trim(),
      baseline: goal.baseline.trim(),
      target: goal.target.trim(),
      ...links.goal(goal.id),
    };
    if (template) return texts;
    const decision = decided.get(goal.id);
    return {
      ...texts,
      due: goal.due,
      owner: goal.owner.trim(),
      author: refOf(goal.authorId),
      status: decision?.status ?? 'proposed',
      rank: decision?.rank ?? 0,
      votes: decision?.votes ?? 0,
      tied: decision?.tied ?? false,
      ...(checkins.length > 0
        ? {
            checkins: goalHistory(checkins, goal.id).map(({ checkin, record }) => ({
              date: checkin.date,
              label: checkin.label,
              current: record.current,
              confidence: record.confidence,
              note: record.note,
            })),
          }
        : {}),
      ...consentField(input.consent, goal.id),
      ...sourceOf(goal),
    };
  });

  const file: BoardFile = {
    schema: BOARD_FILE_SCHEMA,
    variant: input.variant,
    exportedAt: input.now.toISOString(),
    board: { title, locale, template: templateId },
    questions,
    hats,
    goals,
    commitments: filled(input.commitments, (commitment) => commitment.text).map(({ text, owner }) => ({
      text: text.trim(),
      owner: template ? '' : owner.trim(),
    })),
    ...(links.challenges.length > 0 ? { challenges: links.challenges } : {}),
    ...(links.glossary.length > 0 ? { glossary: links.glossary } : {}),
  };
  if (template) return file;
  return {
    ...file,
    people: input.participants.map((person, index) => ({ ref: `p${index + 1}`, name: person.name })),
    nextCheckIn: input.meta.nextCheckIn,
    voting: {
      votesPerPerson: input.voting.votesPerPerson,
      revealed: input.voting.revealed,
      voters: ranked.voting.voters,
      votesCast: ranked.voting.votesCast,
    },
  };
}

/** `<slug>-board.json`, or `<slug>-template.json` for the template variant. */
export function boardFileName(title: string, variant: BoardFileVariant): string {
  return `${titleSlug(title)}-${variant}.json`;
}

// ---- reading a file (docs/export.md#importing-a-board-file): the import's checks ----

/** Trimmed text of 1 to `max` characters, or of 0 to `max` with `empty`. */
function text(max: number, what: string, empty = false) {
  return v.pipe(
    v.string(`${what} must be text`),
    v.trim(),
    v.minLength(empty ? 0 : 1, `${what} cannot be empty`),
    v.maxLength(max, `${what} is limited to ${max} characters`),
  );
}

function date(what: string) {
  return v.pipe(
    v.string(`${what} must be a date`),
    v.check((value: string) => isIsoDate(value), `${what} must be a date like 2027-03-31`),
  );
}

function list<T extends v.GenericSchema>(item: T, max: number, what: string) {
  return v.pipe(v.array(item, `${what} must be a list`), v.maxLength(max, `at most ${max} ${what}`));
}

function count(max: number, what: string) {
  return v.pipe(
    v.number(`${what} must be a number`),
    v.finite(`${what} must be a number`),
    v.minValue(0, `${what} cannot be negative`),
    v.maxValue(max, `${what} is at most ${max}`),
  );
}

const Ref = v.pipe(
  v.string('a person reference must be text'),
  v.regex(/^p[1-9][0-9]{0,5}$/, 'not a person reference like "p1"'),
);

const Estimate = v.object({
  person: Ref,
  amount: v.optional(count(ESTIMATE_MAX.amount, 'amount')),
  unit: v.optional(v.picklist(DURATION_UNITS, 'unit must be "minutes" or "hours"')),
  times: v.optional(count(ESTIMATE_MAX.times, 'times')),
  per: v.picklist(PERIODS, 'per must be "day", "week" or "month"'),
});

/** A position in a list of the file (0 first). */
function position(what: string) {
  return v.pipe(
    v.number(`${what} must be a position`),
    v.integer(`${what} must be a whole number`),
    v.minValue(0, `${what} cannot be negative`),
  );
}

const QuestionEntry = v.object({
  section: v.picklist(SECTIONS, 'section must be "discover" or "day-to-day"'),
  kind: v.optional(v.picklist(TASK_KINDS, 'kind must be "duration" or "frequency"')),
  text: text(LIMIT.text, 'text'),
  answers: v.optional(
    list(
      v.object({ text: text(LIMIT.text, 'text'), author: v.nullable(Ref) }),
      BOARD_FILE_MAX.answers,
      'answers',
    ),
  ),
  estimates: v.optional(list(Estimate, BOARD_FILE_MAX.people, 'estimates')),
  themes: v.optional(
    list(
      v.object({
        name: text(LIMIT.title, 'name', true),
        answers: list(position('answer'), BOARD_FILE_MAX.answers, 'answers'),
      }),
      BOARD_FILE_MAX.answers,
      'themes',
    ),
  ),
});

const GoalEntry = v.object({
  title: text(LIMIT.text, 'title'),
  why: text(LIMIT.text, 'why', true),
  metric: text(LIMIT.text, 'metric', true),
  baseline: text(LIMIT.text, 'baseline', true),
  target: text(LIMIT.text, 'target', true),
  due: v.optional(v.nullable(date('due'))),
  owner: v.optional(text(LIMIT.text, 'owner', true)),
  author: v.optional(v.nullable(Ref)),
  status: v.optional(v.picklist(['agreed', 'proposed'], 'status must be "agreed" or "proposed"')),
  rank: v.optional(
    v.pipe(
      v.number('rank must be a number'),
      v.integer('rank must be a whole number'),
      v.minValue(0, 'rank cannot be negative'),
    ),
  ),
  votes: v.optional(count(Number.MAX_SAFE_INTEGER, 'votes')),
  tied: v.optional(v.boolean('tied must be true or false')),
  challenges: v.optional(list(position('challenge'), BOARD_FILE_MAX.challenges, 'challenges')),
  glossaryEntry: v.optional(position('glossaryEntry')),
  source: v.optional(
    v.object({
      question: position('question'),
      theme: v.nullable(position('theme')),
      answers: list(position('answer'), BOARD_FILE_MAX.answers, 'answers'),
    }),
  ),
});

export const BoardFileSchema = v.object({
  schema: v.literal(BOARD_FILE_SCHEMA, `schema must be "${BOARD_FILE_SCHEMA}"`),
  variant: v.picklist(BOARD_FILE_VARIANTS, 'variant must be "board" or "template"'),
  exportedAt: v.optional(v.string('exportedAt must be text')),
  board: v.object({
    title: text(LIMIT.title, 'title'),
    locale: v.picklist(LOCALES, 'locale must be "fr" or "en"'),
    template: v.picklist(TEMPLATE_IDS, 'template must be "social-kickoff" or "blank"'),
  }),
  people: v.optional(
    list(v.object({ ref: Ref, name: text(LIMIT.name, 'name') }), BOARD_FILE_MAX.people, 'people'),
  ),
  questions: list(QuestionEntry, BOARD_FILE_MAX.questions, 'questions'),
  hats: list(
    v.object({
      label: text(LIMIT.title, 'label'),
      added: v.boolean('added must be true or false'),
      wornBy: v.optional(list(Ref, BOARD_FILE_MAX.people, 'wearers')),
    }),
    BOARD_FILE_MAX.hats,
    'hats',
  ),
  goals: list(GoalEntry, BOARD_FILE_MAX.goals, 'goals'),
  commitments: list(
    v.object({ text: text(LIMIT.text, 'text'), owner: text(LIMIT.text, 'owner', true) }),
    BOARD_FILE_MAX.commitments,
    'commitments',
  ),
  nextCheckIn: v.optional(v.nullable(date('nextCheckIn'))),
  voting: v.optional(v.unknown()),
  challenges: v.optional(
    list(v.object({ title: text(LIMIT.text, 'title') }), BOARD_FILE_MAX.challenges, 'challenges'),
  ),
  glossary: v.optional(
    list(
      v.object({
        name: text(LIMIT.text, 'name'),
        definition: text(LIMIT.text, 'definition', true),
        formula: text(LIMIT.text, 'formula', true),
        owner: text(LIMIT.text, 'owner', true),
      }),
      BOARD_FILE_MAX.glossary,
      'glossary entries',
    ),
  ),
});
export type ParsedBoardFile = v.InferOutput<typeof BoardFileSchema>;

/**
 * A file checked for import: the version first (a newer one is named as such), then the schema,
 * then what the schema cannot say (references that lead nowhere, estimates of the wrong kind).
 * Errors name the first problem with its path, e.g. `questions.2.text: text cannot be empty`.
 */
export function parseBoardFile(input: unknown): ParsedBoardFile {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AppError('bad_request', 'The file must hold a JSON object.');
  }
  const schema = (input as { schema?: unknown }).schema;
  const version = typeof schema === 'string' ? /^atelier\/board@(\d+)$/.exec(schema) : null;
  if (version && Number(version[1]) > 1) {
    throw new AppError(
      'bad_request',
      `schema: this file is "${version[0]}", a newer version than this server reads ("${BOARD_FILE_SCHEMA}"): update the server to import it.`,
    );
  }
  const result = v.safeParse(BoardFileSchema, input);
  if (!result.success) {
    const issue = result.issues[0];
    const path = issue.path?.map((item) => String(item.key)).join('.');
    throw new AppError('bad_request', path ? `${path}: ${issue.message}` : issue.message);
  }
  const file = result.output;
  const known = new Set<string>();
  for (const [index, person] of (file.people ?? []).entries()) {
    if (known.has(person.ref))
      throw new AppError('bad_request', `people.${index}.ref: "${person.ref}" is listed twice`);
    known.add(person.ref);
  }
  const check = (ref: string | null | undefined, path: string): void => {
    if (ref !== null && ref !== undefined && !known.has(ref)) {
      throw new AppError('bad_request', `${path}: "${ref}" is not in people`);
    }
  };
  for (const [q, question] of file.questions.entries()) {
    if (
      question.section === 'discover' &&
      (question.kind !== undefined || question.estimates !== undefined)
    ) {
      throw new AppError('bad_request', `questions.${q}: a discover question has no kind nor estimates`);
    }
    if (question.section === 'day-to-day' && question.answers !== undefined) {
      throw new AppError(
        'bad_request',
        `questions.${q}.answers: a day-to-day question has estimates, not answers`,
      );
    }
    for (const [a, answer] of (question.answers ?? []).entries())
      check(answer.author, `questions.${q}.answers.${a}.author`);
    for (const [e, estimate] of (question.estimates ?? []).entries()) {
      check(estimate.person, `questions.${q}.estimates.${e}.person`);
      const frequency = (question.kind ?? 'duration') === 'frequency';
      const fits = frequency
        ? estimate.times !== undefined && estimate.amount === undefined && estimate.unit === undefined
        : estimate.amount !== undefined && estimate.unit !== undefined && estimate.times === undefined;
      if (!fits) {
        throw new AppError(
          'bad_request',
          `questions.${q}.estimates.${e}: a ${frequency ? 'frequency task takes times and per' : 'duration task takes amount, unit and per'}`,
        );
      }
    }
  }
  for (const [h, hat] of file.hats.entries())
    for (const [w, ref] of (hat.wornBy ?? []).entries()) check(ref, `hats.${h}.wornBy.${w}`);
  for (const [q, question] of file.questions.entries()) {
    for (const [t, theme] of (question.themes ?? []).entries()) {
      if (question.section !== 'discover') {
        throw new AppError('bad_request', `questions.${q}.themes: only a discover question has themes`);
      }
      for (const [a, answer] of theme.answers.entries()) {
        if (answer >= (question.answers ?? []).length) {
          throw new AppError(
            'bad_request',
            `questions.${q}.themes.${t}.answers.${a}: there is no answer ${answer}`,
          );
        }
      }
    }
  }
  for (const [g, goal] of file.goals.entries()) {
    check(goal.author, `goals.${g}.author`);
    for (const [c, at] of (goal.challenges ?? []).entries()) {
      if (at >= (file.challenges?.length ?? 0))
        throw new AppError('bad_request', `goals.${g}.challenges.${c}: there is no challenge ${at}`);
    }
    if (goal.glossaryEntry !== undefined && goal.glossaryEntry >= (file.glossary?.length ?? 0))
      throw new AppError(
        'bad_request',
        `goals.${g}.glossaryEntry: there is no glossary entry ${goal.glossaryEntry}`,
      );
    const source = goal.source;
    if (!source) continue;
    const question = file.questions[source.question];
    if (!question || question.section !== 'discover') {
      throw new AppError(
        'bad_request',
        `goals.${g}.source.question: there is no discover question ${source.question}`,
      );
    }
    if (source.theme !== null && source.theme >= (question.themes ?? []).length) {
      throw new AppError(
        'bad_request',
        `goals.${g}.source.theme: question ${source.question} has no theme ${source.theme}`,
      );
    }
    for (const [a, answer] of source.answers.entries()) {
      if (answer >= (question.answers ?? []).length) {
        throw new AppError('bad_request', `goals.${g}.source.answers.${a}: there is no answer ${answer}`);
      }
    }
  }
  return file;
}
