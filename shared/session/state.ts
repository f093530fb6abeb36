/**
 * What the session plane holds and shows (docs/session.md#session-state). The server is the single authority over it;
 * clients only ever receive a `SessionView` and send requests.
 */
import type { Phase } from './phases';
import type { PulseView } from './pulse';
import type { AnswerRights, Focus, ReadyView } from './readyfocus';
import type { AnswersView } from './answers';
import type { ConsentView } from './consent';

export const ROLES = ['facilitator', 'participant'] as const;
export type Role = (typeof ROLES)[number];

export interface TimerState {
  durationMs: number;
  endsAt: number | null;
  pausedRemainingMs: number | null;
}

export interface VotingSettings {
  open: boolean;
  revealed: boolean;
  votesPerPerson: number;
  maxPerItem: number;
  /**
   * The goals open for voting, fixed when voting opened (shared/session/voting.ts): reopening
   * adds the goals that exist then, only a reset removes any. Votes count on these goals only.
   */
  ballot: string[];
}

export interface ParticipantView {
  id: string;
  name: string;
  role: Role;
  online: boolean;
}

/** The `session` event: the whole state visible to one participant. */
export interface SessionView extends AnswersView {
  rev: number;
  serverNow: number;
  phase: Phase;
  locked: boolean;
  timer: TimerState;
  voting: VotingSettings & { voters: number; votesCast: number };
  myVotes: Record<string, number>;
  tallies: Record<string, number> | null;
  agreed: string[];
  participants: ParticipantView[];
  /**
   * docs/session.md#session-state `{count, average}`: `average` (and the additive `helps`, `distribution`) stay null
   * below three answers and until the facilitator shows the results (see shared/session/pulse.ts).
   */
  pulse: PulseView;
  /** docs/session.md#ready: who said they are done in this phase, of the people online. */
  ready: ReadyView;
  /** docs/session.md#focus: the item everyone is brought to, or null. */
  focus: Focus;
  /** docs/session.md#answer-rights: who may edit and delete an answer card. */
  answerRights: AnswerRights;
  /** docs/session.md#consent-rounds: the open round (no one's answer but mine) and the results. */
  consent: ConsentView;
}

export const DEFAULT_VOTES_PER_PERSON = 5;
export const DEFAULT_MAX_PER_ITEM = 3;
export const DEFAULT_TIMER_MS = 5 * 60_000;
