/**
 * The session plane's state as the server keeps and persists it (docs/session.md#session-state). Participants are not
 * in it: they are rows of their own in the store.
 */
import * as v from 'valibot';
import { PHASES, type Phase } from '../../shared/session/phases';
import {
  DEFAULT_MAX_PER_ITEM,
  DEFAULT_TIMER_MS,
  DEFAULT_VOTES_PER_PERSON,
  type TimerState,
  type VotingSettings,
} from '../../shared/session/state';
import { ID_PATTERN } from '../../shared/ids';
import { PULSE_HELP_MAX_LENGTH, type PulseAnswer, type PulseResults } from '../../shared/session/pulse';
import { legacyBallot } from '../../shared/session/voting';
import { ANSWER_RIGHTS, FOCUS_KINDS, type AnswerRights, type Focus } from '../../shared/session/readyfocus';
import { HeldAnswersSchema, type HeldAnswer, type QuestionMode } from './answers-state';
import { ConsentSchema } from './consent-state';
import type { ConsentState } from '../../shared/session/consent';

export interface SessionState extends ConsentState {
  /** Grows with every change, across restarts (docs/session.md#broadcasts `rev`). */
  rev: number;
  phase: Phase;
  locked: boolean;
  timer: TimerState;
  voting: VotingSettings;
  /** Votes held: participant id → goal id → count. */
  votes: Record<string, Record<string, number>>;
  agreed: string[];
  /** Team pulse answers, each under a key that does not name its author (shared/session/pulse.ts). */
  pulse: PulseAnswer[];
  pulseResults: PulseResults;
  /** When the pulse opened (the first move to the wrap-up), or null: who joined before may answer. */
  pulseOpenedAt: number | null;
  /** Participants a facilitator removed: their rows stay (cards name them), their tokens open nothing. */
  removed: string[];
  /**
   * Joins per address (a keyed hash of it, never the address): a bound on how many places one
   * address can take on this board. Written by joins alone (server/session/rooms.ts `admitJoin`).
   */
  joins: Record<string, number>;
  /** docs/session.md#ready: who said they are done, and in which phase (another phase clears them). */
  ready: string[];
  readyPhase: Phase;
  /** docs/session.md#focus */
  focus: Focus;
  /** docs/session.md#answer-rights */
  answerRights: AnswerRights;
  /** docs/session.md#private-and-anonymous-answers: question id → mode (absent: named, public). */
  questionModes: Record<string, QuestionMode>;
  /** Answers held until their question's reveal, in the order written. */
  heldAnswers: HeldAnswer[];
  /** Answer id → keyed hash of its author: who may still edit an answer the server wrote. */
  answerOwners: Record<string, string>;
}

export function initialSession(): SessionState {
  return {
    rev: 0,
    phase: 'discover',
    locked: false,
    timer: { durationMs: DEFAULT_TIMER_MS, endsAt: null, pausedRemainingMs: null },
    voting: {
      open: false,
      revealed: false,
      votesPerPerson: DEFAULT_VOTES_PER_PERSON,
      maxPerItem: DEFAULT_MAX_PER_ITEM,
      ballot: [],
    },
    votes: {},
    agreed: [],
    pulse: [],
    pulseResults: { snapshot: null, visible: false, baseline: [] },
    pulseOpenedAt: null,
    removed: [],
    joins: {},
    ready: [],
    readyPhase: 'discover',
    focus: null,
    answerRights: 'everyone',
    questionModes: {},
    heldAnswers: [],
    answerOwners: {},
    consentRound: null,
    consentResults: {},
  };
}

const Id = v.pipe(v.string(), v.regex(ID_PATTERN));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const PulseAnswerSchema = v.object({
  key: v.pipe(v.string(), v.maxLength(128)),
  score: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5)),
  help: v.pipe(v.string(), v.maxLength(PULSE_HELP_MAX_LENGTH)),
});

const Saved = v.object({
  rev: v.fallback(v.number(), 0),
  phase: v.fallback(v.picklist(PHASES), 'discover'),
  locked: v.fallback(v.boolean(), false),
  timer: v.fallback(
    v.object({
      durationMs: Count,
      endsAt: v.nullable(v.number()),
      pausedRemainingMs: v.nullable(Count),
    }),
    initialSession().timer,
  ),
  voting: v.fallback(
    v.object({
      open: v.boolean(),
      revealed: v.boolean(),
      votesPerPerson: Count,
      maxPerItem: Count,
      // Absent from sessions stored before ballots: made up in restoreSession.
      ballot: v.optional(v.array(Id)),
    }),
    initialSession().voting,
  ),
  votes: v.fallback(v.record(Id, v.record(Id, Count)), {}),
  agreed: v.fallback(v.array(Id), []),
  pulse: v.fallback(v.array(PulseAnswerSchema), []),
  pulseResults: v.fallback(
    v.object({
      snapshot: v.nullable(
        v.object({
          count: Count,
          average: v.nullable(v.number()),
          helps: v.nullable(v.array(v.pipe(v.string(), v.maxLength(PULSE_HELP_MAX_LENGTH)))),
          distribution: v.nullable(v.array(Count)),
        }),
      ),
      visible: v.boolean(),
      baseline: v.array(PulseAnswerSchema),
    }),
    initialSession().pulseResults,
  ),
  // Absent from sessions stored before the pulse had an opening time: made up in restoreSession.
  pulseOpenedAt: v.fallback(v.optional(v.nullable(v.number())), undefined),
  removed: v.fallback(v.array(Id), []),
  joins: v.fallback(v.record(v.pipe(v.string(), v.maxLength(64)), Count), {}),
  // Absent from sessions stored before ready marks, focus and answer rights: their defaults.
  ready: v.fallback(v.array(Id), []),
  readyPhase: v.fallback(v.picklist(PHASES), 'discover'),
  focus: v.fallback(v.nullable(v.object({ kind: v.picklist(FOCUS_KINDS), id: Id })), null),
  answerRights: v.fallback(v.picklist(ANSWER_RIGHTS), 'everyone'),
  ...HeldAnswersSchema,
  ...ConsentSchema,
});

/**
 * The saved state, each unreadable part replaced by its default (a bad row never blocks a board).
 * `goals` lists the goals on the board now, when known: a session stored before ballots existed
 * gets, while voting is open, those goals on its ballot besides every goal that holds a vote.
 */
export function restoreSession(saved: unknown, goals: () => readonly string[] = () => []): SessionState {
  if (saved === null || typeof saved !== 'object') return initialSession();
  const result = v.safeParse(Saved, saved);
  if (!result.success) return initialSession();
  const { voting, pulseOpenedAt, ...rest } = result.output;
  return {
    ...rest,
    voting: {
      ...voting,
      ballot: voting.ballot ?? legacyBallot(rest.votes, voting.open, voting.open ? goals() : []),
    },
    // Stored before the pulse had an opening time: if the meeting is at the wrap-up, the pulse
    // opened no later than the last change stored (whose time `rev` is).
    pulseOpenedAt: pulseOpenedAt !== undefined ? pulseOpenedAt : rest.phase === 'wrap-up' ? rest.rev : null,
  };
}

/** The participants removed from a board, read straight from its stored session state. */
export function removedIn(saved: unknown): Set<string> {
  const removed = saved !== null && typeof saved === 'object' && 'removed' in saved ? saved.removed : [];
  return new Set(Array.isArray(removed) ? removed.filter((id): id is string => typeof id === 'string') : []);
}
