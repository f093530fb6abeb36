/**
 * The team pulse (docs/product.md#team-pulse, docs/session.md#pulse) against a real server: participants answer on the session plane,
 * everyone sees the live count but an aggregate only once the facilitator shows the results — a
 * snapshot, from three answers on, that later answers do not move until a new snapshot is taken
 * (which needs three different people whose answer differs from the ones it was made of, its
 * baseline: re-sending, or changing and changing back, counts for nothing; hidden results with
 * fewer come back as they were, and showing them twice is the same results) — and nothing the
 * server shows, sends, exports, syncs or stores names who answered what.
 *
 * Joins are free, so the pulse opens at a defined moment (the first move to the wrap-up) and only
 * participants who joined before it may answer: names made up afterwards to pad the answers (a
 * facilitator opening the participant link twice, answering 5 and 5 to single out the one real
 * answer) count for nothing.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Joined } from '../../shared/api';
import {
  changesSince,
  type PulseAnswer,
  type PulseResults,
  type PulseView,
} from '../../shared/session/pulse';
import { OK, refused, waitFor } from '../helpers/expect';
import { useServer } from '../helpers/fixtures';
import {
  freshView,
  liveMeeting,
  member,
  openPulse,
  participant,
  type Meeting,
} from '../helpers/facilitation';
import { pulseKeyOf } from '../../server/auth/keys';
import { openSqliteStore } from '../../server/storage/sqlite';
import { joinBoard, type TestServer } from '../helpers/server';
import type { SessionClient } from '../helpers/session-clients';

/** The answers and results part of a pulse view (without when it opened and who may answer). */
type Aggregate = Omit<PulseView, 'openedAt' | 'mayAnswer'>;
function aggregate(pulse: PulseView): Aggregate {
  const { openedAt: _openedAt, mayAnswer: _mayAnswer, ...rest } = pulse;
  return rest;
}

const pulseOf = (client: SessionClient): Aggregate => aggregate(client.latest().pulse);

/** The aggregate part of the pulse while no results are shown. */
const NOTHING_SHOWN = { average: null, helps: null, distribution: null, shownCount: null };

/**
 * Results shown just now: a snapshot of all `count` answers (their average, helps and distribution
 * of scores 1 to 5), none changed since.
 */
const shownNow = (count: number, average: number, helps: string[], distribution: number[]): Aggregate => ({
  count,
  average,
  helps,
  distribution,
  shownCount: count,
  changesSinceShown: 0,
});

/** The facilitator shows (a new snapshot of) the results, or hides them. */
const showResults = (m: Meeting, shown = true) => m.lead.request('pulseResults', { shown });

/** Everyone in the meeting sees `count` answers. */
async function everyoneSees(m: Meeting, count: number): Promise<void> {
  await Promise.all(
    m.everyone.map((client) => client.waitForSession((v) => v.pulse.count === count, `${count}`)),
  );
}

/** Whether `pulse` has every field of `expected`, with an equal value. */
function pulseMatches(pulse: PulseView, expected: Partial<PulseView>): boolean {
  return Object.entries(expected).every(
    ([field, value]) => JSON.stringify(pulse[field as keyof PulseView]) === JSON.stringify(value),
  );
}

/** Everyone in the meeting sees a pulse with (at least) the fields of `expected`. */
async function everyoneSeesPulse(m: Meeting, expected: Partial<PulseView>, what: string): Promise<void> {
  await Promise.all(
    m.everyone.map((client) => client.waitForSession((v) => pulseMatches(v.pulse, expected), what)),
  );
  for (const client of m.everyone) expect(pulseOf(client)).toMatchObject(expected);
}

/** The pulse part of the session row the server stored (a request is acknowledged once stored). */
async function storedPulse(
  server: TestServer,
  boardId: string,
): Promise<{ pulse: PulseAnswer[]; pulseResults: PulseResults }> {
  return (await server.running.store.loadSession(boardId)) as {
    pulse: PulseAnswer[];
    pulseResults: PulseResults;
  };
}

/** Every way a participant could be named: id, name, token, and unkeyed hashes of the id. */
function identities(m: Meeting, names: string[]): string[] {
  const sha256 = (text: string, encoding: 'hex' | 'base64url'): string =>
    createHash('sha256').update(text).digest(encoding);
  return m.participants.flatMap((p, i) => [
    p.participantId,
    p.token,
    names[i] as string,
    ...(['hex', 'base64url'] as const).flatMap((encoding) => [
      sha256(p.participantId, encoding),
      sha256(`pulse:${m.board.id}:${p.participantId}`, encoding),
    ]),
  ]);
}

function expectNoneIn(text: string, secrets: string[], where: string): void {
  for (const secret of secrets) expect(text.includes(secret), `${where} contains ${secret}`).toBe(false);
}

describe('team pulse', () => {
  const server = useServer();
  const { sessions, sync } = server;

  /** A live meeting at the wrap-up: the pulse is open to every participant in it. */
  const meeting = async (participants: number | string[]): Promise<Meeting> =>
    openPulse(await liveMeeting(server, sessions, participants));

  /** Participant `index` answers, and the server accepts. */
  async function answer(m: Meeting, index: number, score: number, help?: string): Promise<void> {
    expect(await member(m, index).request('pulse', help === undefined ? { score } : { score, help })).toEqual(
      OK,
    );
  }

  it('[product#team-pulse] is for participants: a facilitator answering gets not_participant and is not counted', async () => {
    const m = await meeting(1);
    expect(await m.lead.request('pulse', { score: 5, help: 'Nothing' })).toEqual(refused('not_participant'));
    expect(await member(m, 0).request('pulse', { score: 3 })).toEqual(OK);
    await everyoneSees(m, 1);
    expect(aggregate((await freshView(server, sessions, m.board.id, m.facilitator)).pulse)).toEqual({
      count: 1,
      ...NOTHING_SHOWN,
      changesSinceShown: 1,
    });
  });

  it('[product#team-pulse][session#pulse] counts one answer per participant for everyone, and shows nothing but the count — even from three answers on — until the facilitator shows the results', async () => {
    const m = await meeting(4);
    expect(pulseOf(m.lead)).toEqual({ count: 0, ...NOTHING_SHOWN, changesSinceShown: 0 });

    const answers: Array<[number, string]> = [
      [4, 'Fewer meetings'],
      [2, 'A shared content calendar'],
      [5, ''],
      [1, 'Budget for a listening tool'],
    ];
    for (const [i, [score, help]] of answers.entries()) {
      await answer(m, i, score, help);
      await everyoneSees(m, i + 1);
      for (const client of m.everyone) {
        expect(pulseOf(client)).toEqual({ count: i + 1, ...NOTHING_SHOWN, changesSinceShown: i + 1 });
      }
    }
    // Not one session event anyone received carried more than the count.
    for (const client of m.everyone) {
      for (const view of client.sessions) expect(view.pulse).toMatchObject(NOTHING_SHOWN);
    }
    // Nor does a fresh connection, a participant's or the facilitator's.
    for (const joined of [m.facilitator, participant(m, 2)]) {
      expect(aggregate((await freshView(server, sessions, m.board.id, joined)).pulse)).toEqual({
        count: 4,
        ...NOTHING_SHOWN,
        changesSinceShown: 4,
      });
    }

    // The facilitator shows the results: everyone sees the same aggregate.
    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(
      m,
      {
        count: 4,
        average: 3,
        // Alphabetical, not the order people answered in; the empty help left out.
        helps: ['A shared content calendar', 'Budget for a listening tool', 'Fewer meetings'],
        distribution: [1, 1, 0, 1, 1],
        shownCount: 4,
        changesSinceShown: 0,
      },
      'the results shown',
    );
  });

  it('[session#requests] showing or hiding the results is for the facilitator: a participant gets not_facilitator, and nothing is shown', async () => {
    const m = await meeting(3);
    for (const [i, score] of [5, 4, 3].entries()) await answer(m, i, score, `Help ${i}`);
    await everyoneSees(m, 3);
    for (const shown of [true, false]) {
      expect(await member(m, 0).request('pulseResults', { shown })).toEqual(refused('not_facilitator'));
    }
    const hidden = { count: 3, ...NOTHING_SHOWN, changesSinceShown: 3 };
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 1))).pulse)).toEqual(
      hidden,
    );

    // Shown by the facilitator, a participant cannot hide them either.
    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(m, { average: 4, shownCount: 3 }, 'the results shown');
    expect(await member(m, 1).request('pulseResults', { shown: false })).toEqual(refused('not_facilitator'));
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 2))).pulse)).toMatchObject(
      {
        average: 4,
        shownCount: 3,
      },
    );
  });

  it('[session#pulse][errors#validation] answers a malformed pulseResults request with bad_request, changing nothing', async () => {
    const m = await meeting(3);
    for (const [i, score] of [5, 4, 3].entries()) await answer(m, i, score);
    await everyoneSees(m, 3);
    const malformed: unknown[] = [{}, { shown: 'true' }, { shown: 1 }, { shown: null }, null];
    // Before anything is shown: none of them shows the results.
    for (const payload of malformed) {
      expect(await m.lead.request('pulseResults', payload), JSON.stringify(payload)).toEqual(
        refused('bad_request'),
      );
    }
    const hidden = { count: 3, ...NOTHING_SHOWN, changesSinceShown: 3 };
    expect(aggregate((await freshView(server, sessions, m.board.id, m.facilitator)).pulse)).toEqual(hidden);
    // Once shown: none of them hides the results.
    expect(await showResults(m)).toEqual(OK);
    for (const payload of malformed) {
      expect(await m.lead.request('pulseResults', payload), JSON.stringify(payload)).toEqual(
        refused('bad_request'),
      );
    }
    expect(aggregate((await freshView(server, sessions, m.board.id, m.facilitator)).pulse)).toEqual(
      shownNow(3, 4, [], [0, 0, 1, 1, 1]),
    );
  });

  it('[product#team-pulse] refuses to show results below three answers with pulse_too_few, and shows them at three', async () => {
    const m = await meeting(3);
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));
    for (const [i, score] of [2, 4].entries()) {
      await answer(m, i, score, `Help ${i}`);
      expect(await showResults(m)).toEqual(refused('pulse_too_few'));
    }
    await everyoneSees(m, 2);
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 0))).pulse)).toEqual({
      count: 2,
      ...NOTHING_SHOWN,
      changesSinceShown: 2,
    });
    // Hiding what is not shown is harmless.
    expect(await showResults(m, false)).toEqual(OK);

    await answer(m, 2, 3, 'Help 2');
    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(
      m,
      shownNow(3, 3, ['Help 0', 'Help 1', 'Help 2'], [0, 1, 1, 1, 0]),
      'the results of three answers',
    );
  });

  it('[product#team-pulse][session#pulse] after showing, answers given or changed do not move what is shown; a new snapshot needs three of them (pulse_too_few after one or two)', async () => {
    const m = await meeting(4);
    for (const [i, score] of [5, 4, 3].entries()) await answer(m, i, score, `Help ${i}`);
    expect(await showResults(m)).toEqual(OK);
    const first = {
      average: 4,
      helps: ['Help 0', 'Help 1', 'Help 2'],
      distribution: [0, 0, 1, 1, 1],
      shownCount: 3,
    };
    await everyoneSeesPulse(m, { count: 3, ...first, changesSinceShown: 0 }, 'the first results');

    // A new answer: the count moves, the results shown do not.
    await answer(m, 3, 1, 'Help 3');
    await everyoneSeesPulse(m, { count: 4, ...first, changesSinceShown: 1 }, 'one answer since');
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));

    // A replaced answer is a change too.
    await answer(m, 0, 1, 'Second thoughts');
    await everyoneSeesPulse(m, { count: 4, ...first, changesSinceShown: 2 }, 'two answers since');
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));
    await everyoneSeesPulse(m, { count: 4, ...first, changesSinceShown: 2 }, 'still the first results');

    await answer(m, 1, 2);
    await everyoneSeesPulse(m, { count: 4, ...first, changesSinceShown: 3 }, 'three answers since');

    // Until now, every session event anyone received showed nothing or the first results.
    for (const client of m.everyone) {
      for (const view of client.sessions) {
        if (view.pulse.shownCount === null) expect(view.pulse).toMatchObject(NOTHING_SHOWN);
        else expect(view.pulse).toMatchObject(first);
      }
    }

    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(
      m,
      shownNow(4, 1.8, ['Help 2', 'Help 3', 'Second thoughts'], [2, 1, 1, 0, 0]),
      'the new results',
    );
  });

  it('[product#team-pulse][session#pulse] hiding the results shows nobody an aggregate; showing them again with fewer than three changes brings the same snapshot back, and showing what is shown again (a double click) is the same results', async () => {
    const m = await meeting(3);
    for (const [i, score] of [1, 2, 5].entries()) await answer(m, i, score, `Help ${i}`);
    expect(await showResults(m)).toEqual(OK);
    const snapshot = shownNow(3, 2.7, ['Help 0', 'Help 1', 'Help 2'], [1, 1, 0, 0, 1]);
    await everyoneSeesPulse(m, snapshot, 'the results');
    const storedShown = (await storedPulse(server, m.board.id)).pulseResults;

    expect(await showResults(m, false)).toEqual(OK);
    const hidden = { count: 3, ...NOTHING_SHOWN, changesSinceShown: 0 };
    await everyoneSeesPulse(m, hidden, 'the results hidden');
    for (const client of m.everyone) expect(pulseOf(client)).toEqual(hidden);
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 0))).pulse)).toEqual(
      hidden,
    );
    // Hiding twice changes nothing.
    expect(await showResults(m, false)).toEqual(OK);

    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(m, snapshot, 'the same results again');
    for (const client of m.everyone) expect(pulseOf(client)).toEqual(snapshot);
    // Showing what is shown, with no change since (a double click): accepted, and the very same
    // results — the same snapshot, made of the same answers.
    expect(await showResults(m)).toEqual(OK);
    expect(await showResults(m)).toEqual(OK);
    expect((await storedPulse(server, m.board.id)).pulseResults).toEqual(storedShown);
    expect(aggregate((await freshView(server, sessions, m.board.id, m.facilitator)).pulse)).toEqual(snapshot);
    await everyoneSeesPulse(m, snapshot, 'the same results after a double click');

    // Two answers changed while hidden: showing brings the same snapshot back (nothing new in it),
    // with the two changes still counted; shown, it cannot be renewed.
    expect(await showResults(m, false)).toEqual(OK);
    for (const [i, score] of [4, 4].entries()) await answer(m, i, score, `Later ${i}`);
    await everyoneSeesPulse(m, { ...hidden, changesSinceShown: 2 }, 'two changes, hidden');
    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(m, { ...snapshot, changesSinceShown: 2 }, 'the same results, two changes since');
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 2))).pulse)).toEqual({
      ...snapshot,
      changesSinceShown: 2,
    });

    // Hidden again, a third person's change makes a new snapshot.
    expect(await showResults(m, false)).toEqual(OK);
    await answer(m, 2, 4, 'Later 2');
    await everyoneSeesPulse(m, { ...hidden, changesSinceShown: 3 }, 'three changes, hidden');
    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(
      m,
      shownNow(3, 4, ['Later 0', 'Later 1', 'Later 2'], [0, 0, 0, 3, 0]),
      'the new results',
    );
  });

  it('[session#pulse] a participant answering again replaces their answer (also from another tab): the count stays, they count as one change, and the results shown next have the new answer', async () => {
    const m = await meeting(3);
    for (const [i, score] of [5, 4, 3].entries()) await answer(m, i, score, `Help ${i}`);
    await everyoneSeesPulse(m, { count: 3, changesSinceShown: 3 }, 'three answers');

    await answer(m, 0, 1, 'Second thoughts');
    // From another tab of the same participant: still the same person, still one answer.
    const otherTab = await sessions.connect(server, { boardId: m.board.id, token: participant(m, 1).token });
    expect(await otherTab.request('pulse', { score: 5 })).toEqual(OK);
    // Both acknowledged, so committed: the answers replaced, and still three people changed.
    const stored = await storedPulse(server, m.board.id);
    expect(stored.pulse).toHaveLength(3);
    expect(stored.pulse.map((a) => [a.score, a.help]).sort()).toEqual([
      [1, 'Second thoughts'],
      [3, 'Help 2'],
      [5, ''],
    ]);
    // Nothing shown yet: no snapshot, so no baseline either (every answer counts as a change).
    expect(stored.pulseResults).toEqual({ snapshot: null, visible: false, baseline: [] });
    expect(aggregate((await freshView(server, sessions, m.board.id, m.facilitator)).pulse)).toEqual({
      count: 3,
      ...NOTHING_SHOWN,
      changesSinceShown: 3,
    });

    expect(await showResults(m)).toEqual(OK);
    const results = await m.lead.waitForSession((v) => v.pulse.shownCount !== null, 'the results');
    expect(aggregate(results.pulse)).toEqual(shownNow(3, 3, ['Help 2', 'Second thoughts'], [1, 0, 1, 0, 1]));
    // The snapshot's baseline: the answers it was made of, as stored.
    const shown = await storedPulse(server, m.board.id);
    expect(shown.pulseResults.baseline).toEqual(shown.pulse);

    // After the snapshot, replacing one's answer counts that person once, however many times.
    for (const [score, help] of [
      [2, 'Third thoughts'],
      [3, 'Fourth thoughts'],
    ] as const) {
      await answer(m, 0, score, help);
    }
    expect(await otherTab.request('pulse', { score: 4 })).toEqual(OK);
    expect(await member(m, 1).request('pulse', { score: 2 })).toEqual(OK);
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 2))).pulse)).toEqual({
      ...aggregate(results.pulse),
      changesSinceShown: 2,
    });
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));

    // Going back to the answer the results were made of is no change any more.
    await answer(m, 0, 1, 'Second thoughts');
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 2))).pulse)).toEqual({
      ...aggregate(results.pulse),
      changesSinceShown: 1,
    });
    expect((await storedPulse(server, m.board.id)).pulseResults).toEqual(shown.pulseResults);
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));
  });

  it('[product#team-pulse] changing and changing back counts for nothing: a and b going 5→4→5 and d answering do not renew the results, and hidden ones come back as they were, not differing by d alone', async () => {
    const m = await meeting(4);
    for (const i of [0, 1, 2]) await answer(m, i, 5);
    expect(await showResults(m)).toEqual(OK);
    const first = { average: 5, helps: [], distribution: [0, 0, 0, 0, 3], shownCount: 3 };
    await everyoneSeesPulse(m, { count: 3, ...first, changesSinceShown: 0 }, 'the first results');
    const shown = await storedPulse(server, m.board.id);

    await answer(m, 0, 4);
    await everyoneSeesPulse(m, { count: 3, ...first, changesSinceShown: 1 }, 'a changed');
    await answer(m, 0, 5);
    await everyoneSeesPulse(m, { count: 3, ...first, changesSinceShown: 0 }, 'a changed back');
    await answer(m, 1, 4);
    await answer(m, 1, 5);
    await answer(m, 3, 1, 'Only mine');
    // Three people sent something since the results (a, b and d), but only d's answer differs.
    const oneChange = { count: 4, ...first, changesSinceShown: 1 };
    await everyoneSeesPulse(m, oneChange, 'd answered');
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));
    const stored = await storedPulse(server, m.board.id);
    expect(stored.pulseResults).toEqual(shown.pulseResults);
    expect(stored.pulse).toHaveLength(4);
    expect(changesSince(stored.pulse, stored.pulseResults.baseline)).toBe(1);

    // Hidden and shown again: the old results come back.
    expect(await showResults(m, false)).toEqual(OK);
    await everyoneSeesPulse(m, { count: 4, ...NOTHING_SHOWN, changesSinceShown: 1 }, 'hidden');
    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(m, oneChange, 'the old results again');
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 3))).pulse)).toEqual(
      oneChange,
    );
    expect((await storedPulse(server, m.board.id)).pulseResults).toEqual(shown.pulseResults);
    // No session event anyone received ever showed results with d's answer in them.
    for (const client of m.everyone) {
      for (const view of client.sessions) {
        expect(view.pulse.shownCount).not.toBe(4);
        expect(JSON.stringify(view.pulse)).not.toContain('Only mine');
      }
    }
  });

  it('[product#team-pulse] one participant answering again and again does not make a new snapshot: it would show their answer alone', async () => {
    const m = await meeting(4);
    for (const [i, score] of [5, 4, 3].entries()) await answer(m, i, score, `Help ${i}`);
    expect(await showResults(m)).toEqual(OK);
    const first = { average: 4, helps: ['Help 0', 'Help 1', 'Help 2'], distribution: [0, 0, 1, 1, 1] };
    await everyoneSeesPulse(m, { ...first, shownCount: 3 }, 'the first results');

    // A newcomer answers, then changes their answer twice: everyone saw the count go from 3 to 4,
    // so new results now would differ from the shown ones by exactly this one person's answer.
    await answer(m, 3, 1, 'Only mine');
    await answer(m, 3, 2, 'Still only mine');
    await answer(m, 3, 1);
    const oneChange = { count: 4, ...first, shownCount: 3, changesSinceShown: 1 };
    await everyoneSeesPulse(m, oneChange, 'one person changed');
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 0))).pulse)).toEqual(
      oneChange,
    );

    // Hidden and shown again: the first results come back, not new ones.
    expect(await showResults(m, false)).toEqual(OK);
    await everyoneSeesPulse(m, { count: 4, ...NOTHING_SHOWN, changesSinceShown: 1 }, 'hidden');
    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(m, oneChange, 'the first results again');
    expect(aggregate((await freshView(server, sessions, m.board.id, m.facilitator)).pulse)).toEqual(
      oneChange,
    );

    // Two more people changing theirs makes three people changed: now it blends them.
    await answer(m, 0, 2, 'Help 0');
    await answer(m, 1, 2, 'Help 1');
    expect(await showResults(m)).toEqual(OK);
    await everyoneSeesPulse(
      m,
      shownNow(4, 2, ['Help 0', 'Help 1', 'Help 2'], [1, 2, 1, 0, 0]),
      'the new results',
    );
  });

  it('[product#team-pulse] sending the very same answer again is no change: the results cannot be renewed by it, and showing them again is the same results', async () => {
    const m = await meeting(4);
    for (const [i, score] of [5, 4, 3].entries()) await answer(m, i, score, `Help ${i}`);
    expect(await showResults(m)).toEqual(OK);
    const shown = shownNow(3, 4, ['Help 0', 'Help 1', 'Help 2'], [0, 0, 1, 1, 1]);
    await everyoneSeesPulse(m, shown, 'the results');

    // Everyone who answered sends the same answer again, twice: acknowledged, and no change.
    for (const round of [1, 2]) {
      for (const [i, score] of [5, 4, 3].entries()) await answer(m, i, score, `Help ${i}`);
      expect(
        aggregate((await freshView(server, sessions, m.board.id, m.facilitator)).pulse),
        `round ${round}`,
      ).toEqual(shown);
    }
    // Stored: the answers as they were, and the results' baseline is still exactly them.
    const stored = await storedPulse(server, m.board.id);
    expect(stored.pulse).toHaveLength(3);
    expect(stored.pulseResults.baseline).toEqual(stored.pulse);
    // No change: showing again is accepted and is the same results, not new ones.
    expect(await showResults(m)).toEqual(OK);
    expect((await storedPulse(server, m.board.id)).pulseResults).toEqual(stored.pulseResults);
    expect(aggregate((await freshView(server, sessions, m.board.id, m.facilitator)).pulse)).toEqual(shown);

    // A newcomer answering, then sending the same again: one change.
    await answer(m, 3, 2, 'New');
    await answer(m, 3, 2, 'New');
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 3))).pulse)).toEqual({
      ...shown,
      count: 4,
      changesSinceShown: 1,
    });
    const after = await storedPulse(server, m.board.id);
    expect(after.pulse).toHaveLength(4);
    expect(after.pulseResults).toEqual(stored.pulseResults);
    expect(changesSince(after.pulse, after.pulseResults.baseline)).toBe(1);
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));
  });

  it('[session#pulse][errors#validation] answers a malformed pulse with bad_request and counts nothing', async () => {
    const m = await meeting(1);
    const bad: unknown[] = [
      { score: 0 },
      { score: 6 },
      { score: 2.5 },
      { score: '3' },
      { score: Number.NaN },
      {},
      { help: 'no score' },
      { score: 3, help: 'x'.repeat(501) },
      { score: 3, help: 42 },
      null,
    ];
    for (const payload of bad) {
      expect(await member(m, 0).request('pulse', payload), JSON.stringify(payload)?.slice(0, 40)).toEqual(
        refused('bad_request'),
      );
    }
    // Neither an answer nor a change.
    expect(aggregate((await freshView(server, sessions, m.board.id, m.facilitator)).pulse)).toEqual({
      count: 0,
      ...NOTHING_SHOWN,
      changesSinceShown: 0,
    });
    // 500 characters is the limit, not over it; and the connection is still usable.
    expect(await member(m, 0).request('pulse', { score: 3, help: 'x'.repeat(500) })).toEqual(OK);
    await everyoneSees(m, 1);
  });

  it('[product#team-pulse][session#pulse] names nobody: no id, name or token in any session pulse, the summary, the export, the Y.Doc or the stored session (its answers and the baseline of the results)', async () => {
    const names = ['Zoé Quillfeather', 'Yannick Brightwater', 'Xavière Lumenfield'];
    const m = await meeting(names);
    const secrets = identities(m, names);
    const helps = [
      'Time to experiment with video',
      'Clear definitions of our metrics',
      'Access to the CRM data',
    ];
    const acks = [];
    for (const [i, help] of helps.entries()) {
      acks.push(await member(m, i).request('pulse', { score: i + 2, help }));
    }
    // Replace one, so the stored list has seen a change too.
    acks.push(await member(m, 0).request('pulse', { score: 1, help: helps[0] }));
    expect(acks).toEqual([OK, OK, OK, OK]);
    // Before the results are shown, the stored session holds the answers only: no baseline yet.
    const beforeShown = await storedPulse(server, m.board.id);
    expect(beforeShown.pulseResults).toEqual({ snapshot: null, visible: false, baseline: [] });
    expectNoneIn(JSON.stringify(beforeShown), secrets, 'the stored session before the results');
    expect(await showResults(m)).toEqual(OK);
    await Promise.all(
      m.everyone.map((c) => c.waitForSession((v) => v.pulse.average === 2.7, 'the aggregate')),
    );
    // A change after the results, so the stored answers and the baseline differ.
    expect(await member(m, 1).request('pulse', { score: 5, help: helps[1] })).toEqual(OK);
    await Promise.all(
      m.everyone.map((c) => c.waitForSession((v) => v.pulse.changesSinceShown === 1, 'one change')),
    );

    // Every session event any client received: the pulse part names nobody.
    for (const client of m.everyone) {
      for (const view of client.sessions)
        expectNoneIn(JSON.stringify(view.pulse), secrets, 'a session pulse');
    }
    expect(pulseOf(m.lead).helps).toEqual([...helps].sort());

    // The board summary.
    const summary = await (await fetch(`${server.url}/api/boards/${m.board.id}`)).text();
    expectNoneIn(summary, secrets, 'GET /api/boards/:id');

    // The export, with everything a facilitator may see.
    const exported = await fetch(`${server.url}/api/boards/${m.board.id}/export?status=all`, {
      headers: { authorization: `Bearer ${m.facilitator.token}` },
    });
    expect(exported.status).toBe(200);
    expectNoneIn(await exported.text(), secrets, 'the export');

    // The board's document, as a client syncs it: neither who answered nor what.
    const client = await sync.syncedProvider(server, m.board.id, { token: m.facilitator.token });
    const encoded = Buffer.from(Y.encodeStateAsUpdate(client.doc));
    const json = JSON.stringify(
      Object.fromEntries(
        [...client.doc.share.keys()].map((root) => [root, client.doc.getMap(root).toJSON()]),
      ),
    );
    for (const text of [...secrets, ...helps]) {
      expect(encoded.includes(text, 0, 'utf8'), `the encoded document contains ${text}`).toBe(false);
    }
    expectNoneIn(json, [...secrets, ...helps], 'the board document');

    // The stored session row: answers are there, under keys that name nobody; the snapshot
    // shown is an aggregate only; its baseline holds the answers it was made of, under the same
    // anonymous keys and nothing else.
    const stored = await storedPulse(server, m.board.id);
    expect(stored.pulse).toHaveLength(3);
    const keys = stored.pulse.map((answer) => answer.key);
    expect(new Set(keys).size).toBe(3);
    expect(stored.pulseResults.snapshot).toEqual({
      count: 3,
      average: 2.7,
      helps: [...helps].sort(),
      distribution: [1, 0, 1, 1, 0],
    });
    const { baseline } = stored.pulseResults;
    expect(baseline).toHaveLength(3);
    expect(baseline.map((answer) => answer.key)).toEqual(keys);
    for (const entry of baseline) expect(Object.keys(entry).sort()).toEqual(['help', 'key', 'score']);
    expect(baseline.map((answer) => answer.score).sort()).toEqual([1, 3, 4]);
    expect(stored.pulse.map((answer) => answer.score).sort()).toEqual([1, 4, 5]);
    expect(changesSince(stored.pulse, baseline)).toBe(1);
    expectNoneIn(JSON.stringify(baseline), secrets, 'the stored baseline');
    expectNoneIn(JSON.stringify(stored), secrets, 'the stored session');
    // Nor anywhere in the stored row, beside the pulse.
    expectNoneIn(
      JSON.stringify(await server.running.store.loadSession(m.board.id)),
      secrets,
      'the whole stored session',
    );
  });
});

describe('team pulse across a restart', () => {
  const server = useServer();
  const { sessions } = server;

  const connect = (m: Meeting, joined: Joined): Promise<SessionClient> =>
    sessions.connect(server, { boardId: m.board.id, token: joined.token });

  it('[session#pulse][errors#durability] the answers, the snapshot shown and its baseline survive a restart, and an answer given again after it still replaces the first', async () => {
    const m = await openPulse(await liveMeeting(server, sessions, 3));
    for (const [i, score] of [5, 3, 1].entries()) {
      expect(await member(m, i).request('pulse', { score, help: `Before ${i}` })).toEqual(OK);
    }
    expect(await m.lead.request('pulseResults', { shown: true })).toEqual(OK);
    await m.lead.waitForSession((v) => v.pulse.shownCount === 3, 'the results');
    // One change after the snapshot: counted, not shown.
    expect(await member(m, 1).request('pulse', { score: 4, help: 'Before 1' })).toEqual(OK);
    const before = aggregate(
      (await m.lead.waitForSession((v) => v.pulse.changesSinceShown === 1, 'one change')).pulse,
    );
    expect(before).toEqual({
      count: 3,
      average: 3,
      helps: ['Before 0', 'Before 1', 'Before 2'],
      distribution: [1, 0, 1, 0, 1],
      shownCount: 3,
      changesSinceShown: 1,
    });
    // Stored: the snapshot and the answers it was made of.
    const storedBefore = await storedPulse(server, m.board.id);
    expect(storedBefore.pulseResults.baseline.map((a) => [a.score, a.help]).sort()).toEqual([
      [1, 'Before 2'],
      [3, 'Before 1'],
      [5, 'Before 0'],
    ]);
    await sessions.closeAll();

    await server.restart();

    expect((await storedPulse(server, m.board.id)).pulseResults).toEqual(storedBefore.pulseResults);
    const again = await connect(m, participant(m, 0));
    expect(aggregate(again.latest().pulse)).toEqual(before);
    expect(await again.request('pulse', { score: 2, help: 'After the restart' })).toEqual(OK);
    const replaced = await again.waitForSession(
      (v) => v.pulse.changesSinceShown === 2,
      'the replaced answer',
    );
    expect(aggregate(replaced.pulse)).toEqual({ ...before, changesSinceShown: 2 });
    // The baseline survived, not just a count: the one who changed before the restart going back
    // to the answer shown is no change any more; changing again is one person again.
    const second = await connect(m, participant(m, 1));
    expect(await second.request('pulse', { score: 3, help: 'Before 1' })).toEqual(OK);
    await second.waitForSession((v) => v.pulse.changesSinceShown === 1, 'changed back');
    expect(await second.request('pulse', { score: 3, help: 'Again after the restart' })).toEqual(OK);
    await second.waitForSession((v) => v.pulse.changesSinceShown === 2, 'changed again');
    const storedAfter = await storedPulse(server, m.board.id);
    expect(storedAfter.pulseResults).toEqual(storedBefore.pulseResults);
    expect(changesSince(storedAfter.pulse, storedAfter.pulseResults.baseline)).toBe(2);

    // The changes counted before the restart still count: two are not enough, three are.
    const lead = await connect(m, m.facilitator);
    expect(aggregate(lead.latest().pulse)).toEqual({ ...before, changesSinceShown: 2 });
    expect(await lead.request('pulseResults', { shown: true })).toEqual(refused('pulse_too_few'));
    const third = await connect(m, participant(m, 2));
    expect(await third.request('pulse', { score: 5, help: 'Before 2' })).toEqual(OK);
    expect(await lead.request('pulseResults', { shown: true })).toEqual(OK);
    const after = await again.waitForSession((v) => v.pulse.average !== 3, 'the new results');
    expect(aggregate(after.pulse)).toEqual(
      shownNow(3, 3.3, ['After the restart', 'Again after the restart', 'Before 2'], [0, 1, 1, 0, 1]),
    );
    const stored = await storedPulse(server, m.board.id);
    expect(stored.pulse).toHaveLength(3);
    // The new snapshot's baseline: the answers it was made of.
    expect(stored.pulseResults.baseline).toEqual(stored.pulse);
  });

  it('[session#pulse] hidden results stay hidden across a restart, with the changes since, and showing them again shows the same snapshot, made of the same answers', async () => {
    const m = await openPulse(await liveMeeting(server, sessions, 3));
    for (const [i, score] of [2, 2, 3].entries()) {
      expect(await member(m, i).request('pulse', { score, help: `Help ${i}` })).toEqual(OK);
    }
    expect(await m.lead.request('pulseResults', { shown: true })).toEqual(OK);
    const shown = aggregate(
      (await m.lead.waitForSession((v) => v.pulse.shownCount === 3, 'the results')).pulse,
    );
    expect(shown).toMatchObject({ average: 2.3, distribution: [0, 2, 1, 0, 0] });
    expect(await m.lead.request('pulseResults', { shown: false })).toEqual(OK);
    await m.lead.waitForSession((v) => v.pulse.shownCount === null, 'the results hidden');
    // One change while hidden.
    expect(await member(m, 0).request('pulse', { score: 5, help: 'Help 0' })).toEqual(OK);
    await m.lead.waitForSession((v) => v.pulse.changesSinceShown === 1, 'one change');
    await sessions.closeAll();

    await server.restart();

    const lead = await connect(m, m.facilitator);
    const someone = await connect(m, participant(m, 1));
    for (const client of [lead, someone]) {
      expect(aggregate(client.latest().pulse)).toEqual({ count: 3, ...NOTHING_SHOWN, changesSinceShown: 1 });
    }
    // One change is not enough for new results: the same snapshot comes back, the change counted.
    expect(await lead.request('pulseResults', { shown: true })).toEqual(OK);
    expect(
      aggregate((await someone.waitForSession((v) => v.pulse.shownCount !== null, 'the same results')).pulse),
    ).toEqual({ ...shown, changesSinceShown: 1 });
    expect(await lead.request('pulseResults', { shown: true })).toEqual(refused('pulse_too_few'));

    // The change is counted against the answers kept from before the restart: changing back to
    // the answer shown is no change, and showing again (twice) is the same snapshot.
    const changer = await connect(m, participant(m, 0));
    expect(await changer.request('pulse', { score: 2, help: 'Help 0' })).toEqual(OK);
    await someone.waitForSession((v) => v.pulse.changesSinceShown === 0, 'changed back');
    for (const round of [1, 2]) {
      expect(await lead.request('pulseResults', { shown: true }), `round ${round}`).toEqual(OK);
    }
    expect(aggregate((await freshView(server, sessions, m.board.id, participant(m, 2))).pulse)).toEqual(
      shown,
    );
    const stored = await storedPulse(server, m.board.id);
    expect(stored.pulseResults.baseline).toEqual(stored.pulse);
  });
});

describe('team pulse against names made up to answer it', () => {
  const server = useServer();
  const { sessions } = server;

  const connect = (m: Meeting, joined: Joined): Promise<SessionClient> =>
    sessions.connect(server, { boardId: m.board.id, token: joined.token });

  it('opens at the first move to the wrap-up: an answer before is refused with pulse_not_open, and moving away and back does not move the opening', async () => {
    const m = await liveMeeting(server, sessions, ['Ana', 'Ben']);
    expect(member(m, 0).latest().pulse).toMatchObject({ openedAt: null, mayAnswer: false });
    expect(await member(m, 0).request('pulse', { score: 3 })).toEqual(refused('pulse_not_open'));
    expect(await m.lead.request('phase', { phase: 'prioritise' })).toEqual(OK);
    expect(await member(m, 0).request('pulse', { score: 3 })).toEqual(refused('pulse_not_open'));

    await openPulse(m);
    const openedAt = member(m, 0).latest().pulse.openedAt;
    expect(openedAt).toEqual(expect.any(Number));
    expect(member(m, 0).latest().pulse.mayAnswer).toBe(true);
    // The facilitator leads the check-in: never theirs to answer.
    expect(m.lead.latest().pulse).toMatchObject({ openedAt, mayAnswer: false });
    expect(await member(m, 0).request('pulse', { score: 3 })).toEqual(OK);

    for (const phase of ['agree', 'wrap-up'] as const) {
      expect(await m.lead.request('phase', { phase })).toEqual(OK);
      await member(m, 1).waitForSession((v) => v.phase === phase, phase);
      expect(member(m, 1).latest().pulse.openedAt).toBe(openedAt);
    }
  });

  it('the sock-puppet attack: the facilitator joins twice more once the pulse is open and answers 5, 5 — refused with pulse_joined_late, and a snapshot of the too few real answers is refused', async () => {
    const m = await openPulse(await liveMeeting(server, sessions, ['Ana', 'Ben']));
    expect(await member(m, 0).request('pulse', { score: 2, help: 'Fewer late-night posts' })).toEqual(OK);
    expect(await member(m, 1).request('pulse', { score: 4 })).toEqual(OK);
    await everyoneSees(m, 2);

    // The participant link, opened twice: joining is free, answering is not.
    const puppets = [await joinBoard(server, m.board.id, 'Ana'), await joinBoard(server, m.board.id, 'Sam')];
    for (const puppet of puppets) {
      const client = await connect(m, puppet);
      expect(client.latest().pulse).toMatchObject({ openedAt: expect.any(Number), mayAnswer: false });
      const ack = await client.request('pulse', { score: 5, help: 'Nothing' });
      expect(ack).toEqual(refused('pulse_joined_late'));
      expect(!ack.ok && ack.error.message).toMatch(/joined after/);
    }
    expect(await showResults(m)).toEqual(refused('pulse_too_few'));
    const view = await m.lead.waitForSession((v) => v.participants.length === 5, 'the puppets listed');
    expect(aggregate(view.pulse)).toEqual({ count: 2, ...NOTHING_SHOWN, changesSinceShown: 2 });
    expect((await storedPulse(server, m.board.id)).pulse).toHaveLength(2);
    // Nobody ever saw a distribution or a "what would help".
    for (const client of m.everyone) {
      for (const seen of client.sessions) expect(seen.pulse).toMatchObject(NOTHING_SHOWN);
    }
  });

  it('answers stored by an older version from a facilitator or from someone who joined after the opening do not count, in the count or in a snapshot', async () => {
    const m = await openPulse(await liveMeeting(server, sessions, ['Ana', 'Ben']));
    const late = await joinBoard(server, m.board.id, 'Dan');
    expect(await member(m, 0).request('pulse', { score: 1 })).toEqual(OK);
    expect(await member(m, 1).request('pulse', { score: 2 })).toEqual(OK);
    await sessions.closeAll();
    await waitFor(() => server.running.sessions.loadedCount === 0, 5_000, 'the meeting unloaded');

    // Written into the stored state as an older Atelier, which took anyone's answer, would have.
    const secret = await server.running.store.tokenSecret();
    const store = openSqliteStore({ dataDir: server.dataDir });
    const saved = (await store.loadSession(m.board.id)) as { pulse: PulseAnswer[] };
    const keyOf = (joined: Joined): string => pulseKeyOf(secret, m.board.id, joined.participantId);
    await store.saveSession(m.board.id, {
      ...saved,
      pulse: [
        ...saved.pulse,
        { key: keyOf(late), score: 5, help: '' },
        { key: keyOf(m.facilitator), score: 5, help: '' },
      ],
    });
    await store.close();

    const lead = await connect(m, m.facilitator);
    expect(aggregate(lead.latest().pulse)).toEqual({ count: 2, ...NOTHING_SHOWN, changesSinceShown: 2 });
    expect(await lead.request('pulseResults', { shown: true })).toEqual(refused('pulse_too_few'));
  });
});
