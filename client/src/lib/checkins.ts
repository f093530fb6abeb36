/**
 * What the Check-ins panel needs from the open board (docs/product.md#check-ins), handed down as a
 * Svelte context so the views in between need not carry it: the check-ins as the document holds
 * them, and the session requests that change them (only the server writes them:
 * docs/session.md#check-ins).
 */
import { getContext, setContext } from 'svelte';
import type { Checkin, Confidence } from '../../../shared/board/checkins';
import type { Ack } from '../../../shared/session/events';
import type { SessionConnection } from './session.svelte';

export interface CheckinsContext {
  /** The board's check-ins, oldest first (reactive). */
  list(): Checkin[];
  start(date: string, label: string): Promise<boolean>;
  close(checkinId: string): Promise<boolean>;
  record(input: {
    checkinId: string;
    goalId: string;
    current: number;
    confidence: Confidence;
    note: string;
  }): Promise<boolean>;
}

const KEY = Symbol('checkins');

/** The context of a board: `board.checkins` is read live, `report` shows a refusal. */
export function setCheckins(
  board: { readonly checkins: Checkin[] },
  session: SessionConnection,
  report: (ack: Ack) => boolean,
): void {
  const context: CheckinsContext = {
    list: () => board.checkins,
    start: (date, label) => session.request('checkin', { action: 'start', date, label }).then(report),
    close: (checkinId) => session.request('checkin', { action: 'close', checkinId }).then(report),
    record: (input) => session.request('checkinRecord', input).then(report),
  };
  setContext(KEY, context);
}

/** The board's check-ins, or null outside a board (the panel then shows nothing). */
export function getCheckins(): CheckinsContext | null {
  return getContext<CheckinsContext | undefined>(KEY) ?? null;
}
