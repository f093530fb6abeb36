/**
 * The agreed-goals export (docs/export.md#agreed-goals-export): a pure function from what the board holds to the document
 * people download. Its JSON Schema sits beside this file and is served at SCHEMA_PATH.
 */
import { goalHistory, type Checkin, type Confidence } from '../board/checkins';
import type { Commitment, Goal } from '../board/layout';
import type { GoalLinks } from '../board/goal-links';
import {
  goalLinkFields,
  exportedChallenges,
  type ExportedChallenge,
  type GoalLinkFields,
} from './goal-links';
import type { VotingSettings } from '../session/state';
import { tallyVotes, type Votes } from '../session/voting';
import { standings } from './ties';
import { consentField, type ConsentResults, type ExportedConsent } from './consent';

export const EXPORT_SCHEMA = 'atelier/goals-export@1';
export const SCHEMA_PATH = '/schema/goals-export-1.json';
export const EXPORT_STATUSES = ['agreed', 'all'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** `challenges` and `metricDefinition` are additive (docs/export.md#additive-fields). */
export interface ExportedGoal extends GoalLinkFields {
  rank: number;
  id: string;
  title: string;
  why: string;
  metric: string;
  baseline: string;
  target: string;
  due: string | null;
  owner: string;
  status: 'agreed' | 'proposed';
  /** null while the tallies are hidden from whoever asked. */
  votes: number | null;
  /**
   * Additive (docs/export.md#ties): another exported goal has the same votes. Present only with
   * the votes, never while they are hidden.
   */
  tied?: boolean;
  /**
   * Additive (docs/export.md#additive-fields): the theme the goal was drafted from and the
   * answers it held then; absent for a goal written by hand.
   */
  source?: { themeId: string; cardIds: string[] };
  /**
   * Additive (docs/export.md#additive-fields): this goal's value at each check-in that recorded
   * it, oldest first. Present whenever the board has held a check-in.
   */
  checkins?: ExportedCheckinRecord[];
  /** Additive (docs/export.md#consent-fields): the goal's last consent round; absent if never checked. */
  consent?: ExportedConsent;
}

/** One goal's record in one check-in (docs/export.md#check-in-fields). */
export interface ExportedCheckinRecord {
  checkinId: string;
  date: string;
  current: number;
  confidence: Confidence;
  note: string;
}

/** A check-in, without its records (they sit with each goal). */
export interface ExportedCheckin {
  id: string;
  date: string;
  label: string;
  open: boolean;
}

export interface GoalsExport {
  schema: typeof EXPORT_SCHEMA;
  board: { id: string; title: string; url: string };
  exportedAt: string;
  voting: { votesPerPerson: number; voters: number; votesCast: number };
  goals: ExportedGoal[];
  /** Additive (docs/export.md#additive-fields): the leader's commitments from the wrap-up. */
  commitments: Array<{ text: string; owner: string }>;
  /** Additive (docs/export.md#additive-fields): the date of the next regular check-in. */
  nextCheckIn: string | null;
  /** Additive (docs/export.md#additive-fields): the check-ins, oldest first; absent before the first. */
  checkins?: ExportedCheckin[];
  /** Additive (docs/export.md#additive-fields): the challenges lane, each saying whether an exported goal addresses it. */
  challenges?: ExportedChallenge[];
}

export interface ExportInput extends Partial<GoalLinks> {
  board: { id: string; title: string; url: string };
  goals: readonly Goal[];
  votes: Votes;
  /** The settings the export states (the rest of the voting state says nothing to its readers). */
  voting: Omit<VotingSettings, 'ballot'>;
  agreed: readonly string[];
  commitments: readonly Commitment[];
  nextCheckIn: string | null;
  /** The board's check-ins (readCheckins); none or absent: no check-in fields. */
  checkins?: readonly Checkin[];
  /** docs/export.md#consent-fields: consent results per goal id; absent or none: no consent fields. */
  consent?: ConsentResults;
  /** Whether the asker may see tallies: they are revealed, or the asker is a facilitator. */
  showVotes: boolean;
  status: ExportStatus;
  now: Date;
}

function byCreation(a: Goal, b: Goal): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Goals in ranking order (docs/export.md#order-and-rank): by votes, ties by creation then id — or, when the tallies are
 * hidden (null), in creation order, which says nothing about them.
 */
export function rankGoals<G extends Goal>(goals: readonly G[], tallies: Record<string, number> | null): G[] {
  if (!tallies) return [...goals].sort(byCreation);
  const votesFor = (goal: Goal): number => tallies[goal.id] ?? 0;
  return [...goals].sort((a, b) => votesFor(b) - votesFor(a) || byCreation(a, b));
}

export function buildGoalsExport(input: ExportInput): GoalsExport {
  const exists = new Set(input.goals.map((goal) => goal.id));
  const { tallies, voters, votesCast } = tallyVotes(input.votes, (id) => exists.has(id));
  const agreed = new Set(input.agreed);
  const ordered = rankGoals(input.goals, input.showVotes ? tallies : null);
  const listed = input.status === 'all' ? ordered : ordered.filter((goal) => agreed.has(goal.id));
  const votesOf = (goal: Goal): number => tallies[goal.id] ?? 0;
  const ties = standings(listed.map(votesOf));
  const checkins = input.checkins ?? [];
  const withCheckins = checkins.length > 0;

  return {
    schema: EXPORT_SCHEMA,
    board: input.board,
    exportedAt: input.now.toISOString(),
    voting: { votesPerPerson: input.voting.votesPerPerson, voters, votesCast },
    goals: listed.map((goal, index): ExportedGoal => ({
      rank: index + 1,
      id: goal.id,
      title: goal.title,
      why: goal.why,
      metric: goal.metric,
      baseline: goal.baseline,
      target: goal.target,
      due: goal.due,
      owner: goal.owner,
      status: agreed.has(goal.id) ? 'agreed' : 'proposed',
      votes: input.showVotes ? votesOf(goal) : null,
      ...(input.showVotes ? { tied: ties[index]?.tied ?? false } : {}),
      ...(withCheckins ? { checkins: exportedHistory(checkins, goal.id) } : {}),
      ...goalLinkFields(goal.id, input),
      ...consentField(input.consent, goal.id),
      ...(goal.source ? { source: { themeId: goal.source.themeId, cardIds: [...goal.source.cardIds] } } : {}),
    })),
    commitments: input.commitments.map(({ text, owner }) => ({ text, owner })),
    nextCheckIn: input.nextCheckIn,
    ...(withCheckins
      ? {
          checkins: checkins.map(({ id, date, label, closedAt }) => ({
            id,
            date,
            label,
            open: closedAt === null,
          })),
        }
      : {}),
    ...exportedChallenges(listed, input),
  };
}

/** One goal's records across check-ins, as the exports write them. */
export function exportedHistory(checkins: readonly Checkin[], goalId: string): ExportedCheckinRecord[] {
  return goalHistory(checkins, goalId).map(({ checkin, record }) => ({
    checkinId: checkin.id,
    date: checkin.date,
    current: record.current,
    confidence: record.confidence,
    note: record.note,
  }));
}

/**
 * The file name's stem (docs/http.md#export): the title in lower-case ASCII with accents removed, every run of
 * other characters as one `-`, trimmed; `board` when nothing is left.
 */
export function titleSlug(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'board' : slug;
}

export function exportFileName(title: string): string {
  return `${titleSlug(title)}-goals.json`;
}
