/**
 * The workshop summary (docs/export.md#summary): one pure model of what the team takes away, read
 * from the board document and what the session plane lets the viewer see. The summary page, the
 * Markdown and the CSV are all drawn from it. Goals, ranks, ties and the privacy of votes are the
 * agreed-goals export's (goals-export.ts), taken as they are.
 */
import type * as Y from 'yjs';
import { readCheckins, type Checkin } from '../board/checkins';
import { readWornHats, readTasks, summariseLoad } from '../board/daytoday';
import type { Locale } from '../board/layout';
import { readCardsByQuestion, readCommitments, readGoals, readMeta, readQuestions } from '../board/read';
import { readThemesByQuestion } from '../board/themes';
import type { PulseSummary } from '../session/pulse';
import {
  buildGoalsExport,
  titleSlug,
  type ExportedCheckin,
  type ExportedGoal,
  type ExportInput,
} from './goals-export';
import { standings } from './ties';
import { readGoalLinks, type GoalLinks } from '../board/goal-links';
import { summaryLinks, type SummaryLinks } from './summary-links';

export interface SummaryGoal extends ExportedGoal {
  /** The shared place among ties ("1, 2, 2, 4"), or null while the votes are hidden (docs/export.md#ties). */
  place: number | null;
}

export interface SummaryLoadPerson {
  name: string;
  hats: string[];
  /** Hours per week over the duration tasks this person answered. */
  hoursPerWeek: number;
}

export interface SummaryLoadTask {
  text: string;
  kind: 'duration' | 'frequency';
  answered: number;
  /** The team's total per week: hours (duration) or times (frequency). */
  perWeek: number;
  averagePerWeek: number | null;
}

export interface Summary {
  board: { id: string; title: string; url: string; locale: Locale };
  /** The day the board was made, `YYYY-MM-DD` (UTC): the workshop's date. */
  date: string;
  exportedAt: string;
  /** Who took part: names only, in join order. */
  people: string[];
  /** Whether `votes` are numbers: revealed, or the viewer is a facilitator. */
  votesShown: boolean;
  voting: { votesPerPerson: number; voters: number; votesCast: number };
  goals: SummaryGoal[];
  commitments: Array<{ text: string; owner: string }>;
  nextCheckIn: string | null;
  /** The check-ins, oldest first (each goal carries its own records): docs/export.md#check-in-fields. */
  checkins: ExportedCheckin[];
  /**
   * Discovery questions in board order, each with its answers' texts in display order, and — when
   * some are grouped — its themes (docs/product.md#themes): each named ('' when unnamed) with its
   * answers' texts.
   */
  discovery: SummaryDiscovery[];
  load: { people: SummaryLoadPerson[]; tasks: SummaryLoadTask[] };
  /**
   * The pulse aggregate, only when the facilitator showed it; null otherwise. `helps`: the shown
   * results' "what would help" texts, alphabetically, without authors (docs/export.md#summary).
   */
  pulse: { average: number; count: number; distribution: number[]; helps: string[] } | null;
  /** The challenges (with the goals that address them) and the glossary (docs/export.md#summary). */
  links?: SummaryLinks;
}

export interface SummaryDiscovery {
  question: string;
  answers: string[];
  /** Additive: present only when some answers to the question are grouped. */
  themes?: Array<{ name: string; answers: string[] }>;
}

/** A question's answers that are in none of its themes, in display order. */
export function looseAnswers(entry: SummaryDiscovery): string[] {
  const loose = [...entry.answers];
  for (const theme of entry.themes ?? []) {
    for (const answer of theme.answers) {
      const at = loose.indexOf(answer);
      if (at >= 0) loose.splice(at, 1);
    }
  }
  return loose;
}

/** What the board document holds for a summary. */
export interface SummaryContent {
  meta: ReturnType<typeof readMeta>;
  goals: ExportInput['goals'];
  commitments: ExportInput['commitments'];
  discovery: SummaryDiscovery[];
  load: ReturnType<typeof summariseLoad>;
  checkins: Checkin[];
  links?: GoalLinks;
}

/** Reads what a summary needs from a board document (through the board's readers only). */
export function readSummaryContent(doc: Y.Doc): SummaryContent {
  const cards = readCardsByQuestion(doc);
  const themes = readThemesByQuestion(doc);
  return {
    meta: readMeta(doc),
    goals: readGoals(doc),
    commitments: readCommitments(doc),
    discovery: readQuestions(doc, 'discover').map((question): SummaryDiscovery => {
      const answers = cards.get(question.id) ?? [];
      const grouped = themes.get(question.id) ?? [];
      const textOf = new Map(answers.map((card) => [card.id, card.text]));
      return {
        question: question.text,
        answers: answers.map((card) => card.text),
        ...(grouped.length > 0
          ? {
              themes: grouped.map((theme) => ({
                name: theme.name,
                answers: theme.cardIds.map((id) => textOf.get(id) ?? ''),
              })),
            }
          : {}),
      };
    }),
    load: summariseLoad(readWornHats(doc), readTasks(doc)),
    checkins: readCheckins(doc),
    links: readGoalLinks(doc),
  };
}

export interface SummaryInput {
  board: { id: string; url: string };
  content: SummaryContent;
  /** The board's participants in join order (removed people left out by the caller). */
  participants: ReadonlyArray<{ id: string; name: string }>;
  votes: ExportInput['votes'];
  voting: ExportInput['voting'];
  agreed: ExportInput['agreed'];
  showVotes: boolean;
  status: ExportInput['status'];
  /** docs/export.md#consent-fields */
  consent?: ExportInput['consent'];
  /** The pulse as the session shows it: the aggregate is there only while shown (average not null). */
  pulse: Pick<PulseSummary, 'average' | 'distribution' | 'helps'> & { shownCount: number | null };
  now: Date;
}

function isoDay(ms: number): string {
  return new Date(Number.isFinite(ms) && ms > 0 ? ms : 0).toISOString().slice(0, 10);
}

export function buildSummary(input: SummaryInput): Summary {
  const { content } = input;
  const exported = buildGoalsExport({
    board: { ...input.board, title: content.meta.title },
    goals: content.goals,
    votes: input.votes,
    voting: input.voting,
    agreed: input.agreed,
    commitments: content.commitments,
    nextCheckIn: content.meta.nextCheckIn,
    checkins: content.checkins,
    consent: input.consent,
    showVotes: input.showVotes,
    status: input.status,
    now: input.now,
    ...content.links,
  });
  const places = standings(exported.goals.map((goal) => goal.votes ?? 0));
  const names = new Map(input.participants.map((person) => [person.id, person.name]));
  const { pulse } = input;

  return {
    board: { ...exported.board, locale: content.meta.locale },
    date: isoDay(content.meta.createdAt),
    exportedAt: exported.exportedAt,
    people: input.participants.map((person) => person.name),
    votesShown: input.showVotes,
    voting: exported.voting,
    goals: exported.goals.map((goal, index) => ({
      ...goal,
      place: goal.votes === null ? null : (places[index]?.place ?? index + 1),
    })),
    commitments: exported.commitments,
    nextCheckIn: exported.nextCheckIn,
    checkins: exported.checkins ?? [],
    discovery: content.discovery,
    load: {
      // People who left the board (or were never listed) are not named.
      people: content.load.people.flatMap((person) => {
        const name = names.get(person.participantId);
        return name === undefined
          ? []
          : [{ name, hats: person.hats.map((hat) => hat.label), hoursPerWeek: person.hoursPerWeek }];
      }),
      tasks: content.load.tasks.map((load) => ({
        text: load.task.text,
        kind: load.task.kind,
        answered: load.answered,
        perWeek: load.perWeek,
        averagePerWeek: load.averagePerWeek,
      })),
    },
    pulse:
      pulse.average !== null && pulse.distribution !== null
        ? {
            average: pulse.average,
            count: pulse.shownCount ?? 0,
            distribution: [...pulse.distribution],
            helps: [...(pulse.helps ?? [])],
          }
        : null,
    links: summaryLinks(content.links, exported.goals),
  };
}

/** File names (docs/http.md#summary-exports): `<slug>-summary.md` and `<slug>-goals.csv`. */
export function summaryFileName(title: string, format: 'md' | 'csv'): string {
  return format === 'md' ? `${titleSlug(title)}-summary.md` : `${titleSlug(title)}-goals.csv`;
}
