/**
 * The team pulse (shared/session/pulse, docs/product.md#team-pulse, docs/session.md#pulse) as pure functions: answers are kept under an
 * opaque key, replaced by key, and only their aggregate is shown, from three answers on — as a
 * snapshot the facilitator takes, renewed only once three different people's answers differ from
 * the ones it was made of (its baseline): a re-send, or a change changed back, counts for nothing,
 * and hidden results with fewer changes come back as they were.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import {
  PULSE_MIN_ANSWERS,
  changesSince,
  pulseView,
  showPulseResults,
  summarizePulse,
  withPulseAnswer,
  type PulseAnswer,
  type PulseResults,
} from '../../shared/session/pulse';

const answer = (key: string, score: number, help = ''): PulseAnswer => ({ key, score, help });

/** Answers recorded one after the other, as the server records them. */
function record(...answers: PulseAnswer[]): PulseAnswer[] {
  return answers.reduce<PulseAnswer[]>((list, next) => withPulseAnswer(list, next), []);
}

/** `answers`, then each of `next` recorded after them, as the server records them. */
function recordOnto(answers: readonly PulseAnswer[], ...next: PulseAnswer[]): PulseAnswer[] {
  return next.reduce<PulseAnswer[]>((list, one) => withPulseAnswer(list, one), [...answers]);
}

const NOTHING_YET: PulseResults = { snapshot: null, visible: false, baseline: [] };
const NOTHING_SHOWN = { average: null, helps: null, distribution: null, shownCount: null };

/** Expects `run` to throw an AppError with `code`. */
function expectRefused(run: () => unknown, code: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect(thrown).toMatchObject({ code });
}

describe('team pulse rules (docs/product.md#team-pulse, docs/session.md#pulse)', () => {
  describe('summarizePulse', () => {
    it('[product#team-pulse] shows nothing but the count below three answers: average, helps and distribution are null', () => {
      expect(PULSE_MIN_ANSWERS).toBe(3);
      expect(summarizePulse([])).toEqual({ count: 0, average: null, helps: null, distribution: null });
      expect(summarizePulse(record(answer('k1', 5, 'More time')))).toEqual({
        count: 1,
        average: null,
        helps: null,
        distribution: null,
      });
      expect(summarizePulse(record(answer('k1', 5, 'More time'), answer('k2', 1, 'Fewer meetings')))).toEqual(
        { count: 2, average: null, helps: null, distribution: null },
      );
    });

    it('[product#team-pulse][session#pulse] shows the aggregate from the third answer: average, helps and how many gave each score', () => {
      const summary = summarizePulse(
        record(answer('k1', 4, 'A shared calendar'), answer('k2', 2), answer('k3', 3)),
      );
      expect(summary).toEqual({
        count: 3,
        average: 3,
        helps: ['A shared calendar'],
        distribution: [0, 1, 1, 1, 0],
      });
    });

    it('[session#pulse] rounds the average to one decimal', () => {
      expect(summarizePulse(record(answer('a', 5), answer('b', 4), answer('c', 4))).average).toBe(4.3);
      expect(summarizePulse(record(answer('a', 1), answer('b', 1), answer('c', 2))).average).toBe(1.3);
      expect(
        summarizePulse(record(answer('a', 2), answer('b', 3), answer('c', 3), answer('d', 3))).average,
      ).toBe(2.8);
    });

    it('[product#team-pulse] lists the helps alphabetically, never in the order people answered, and leaves out empty ones', () => {
      const helps = ['Fewer meetings', 'A social media calendar', 'Budget for a scheduling tool'];
      const forwards = summarizePulse(
        record(...helps.map((help, i) => answer(`key-${i}`, 3, help)), answer('z', 4)),
      );
      const backwards = summarizePulse(
        record(answer('z', 4), ...[...helps].reverse().map((help, i) => answer(`other-${i}`, 3, help))),
      );
      const sorted = ['A social media calendar', 'Budget for a scheduling tool', 'Fewer meetings'];
      expect(forwards.helps).toEqual(sorted);
      expect(backwards.helps).toEqual(sorted);
    });

    it('[product#team-pulse] keeps two identical helps (two people asked for the same thing)', () => {
      const summary = summarizePulse(
        record(answer('a', 2, 'More time'), answer('b', 3, 'More time'), answer('c', 4)),
      );
      expect(summary.helps).toEqual(['More time', 'More time']);
    });
  });

  describe('withPulseAnswer', () => {
    it('[session#pulse] one answer per key: a second answer under the same key replaces the first', () => {
      const first = record(answer('k1', 5, 'More time'), answer('k2', 3), answer('k3', 4));
      const replaced = withPulseAnswer(first, answer('k1', 1, 'Fewer meetings'));
      expect(replaced).toHaveLength(3);
      expect(replaced.find((a) => a.key === 'k1')).toEqual(answer('k1', 1, 'Fewer meetings'));
      const summary = summarizePulse(replaced);
      expect(summary.count).toBe(3);
      expect(summary.average).toBe(2.7);
      expect(summary.helps).toEqual(['Fewer meetings']);
    });

    it('[product#team-pulse] keeps answers in key order, so the stored list does not reveal who answered when', () => {
      const one = record(answer('k3', 1), answer('k1', 2), answer('k2', 3));
      const other = record(answer('k2', 3), answer('k3', 1), answer('k1', 2));
      expect(one).toEqual(other);
      expect(one.map((a) => a.key)).toEqual(['k1', 'k2', 'k3']);
    });

    it('[session#pulse] does not change the list it is given', () => {
      const list = record(answer('k1', 2));
      const before = structuredClone(list);
      withPulseAnswer(list, answer('k1', 5));
      withPulseAnswer(list, answer('k2', 5));
      expect(list).toEqual(before);
    });
  });

  describe('changesSince', () => {
    const three = record(answer('k1', 5, 'More time'), answer('k2', 4), answer('k3', 3, 'Fewer meetings'));

    it('[session#pulse] with no baseline every answer is a change; with no answers every baseline answer is one (withdrawn)', () => {
      expect(changesSince([], [])).toBe(0);
      expect(changesSince(three, [])).toBe(3);
      expect(changesSince([], three)).toBe(3);
    });

    it('[product#team-pulse] the very answers of the baseline are no change, whatever their order or copy', () => {
      expect(changesSince(three, three)).toBe(0);
      expect(changesSince(three, structuredClone(three))).toBe(0);
      expect(changesSince(three, [...three].reverse())).toBe(0);
    });

    it('[session#pulse] counts a new answer, a changed score, a changed help only, and a withdrawn answer as one change each', () => {
      expect(changesSince(recordOnto(three, answer('k4', 2)), three)).toBe(1);
      expect(changesSince(recordOnto(three, answer('k1', 1, 'More time')), three)).toBe(1);
      expect(changesSince(recordOnto(three, answer('k2', 4, 'Budget')), three)).toBe(1);
      expect(
        changesSince(
          three.filter((a) => a.key !== 'k3'),
          three,
        ),
      ).toBe(1);
      // All at once: one per person.
      const later = record(
        answer('k1', 1, 'Second thoughts'),
        answer('k2', 4),
        answer('k4', 2),
        answer('k5', 3, 'Budget'),
      );
      expect(changesSince(later, three)).toBe(4);
    });

    it('[product#team-pulse] compares people by key: someone else giving a withdrawn answer is two people changed', () => {
      const swapped = record(
        answer('k1', 5, 'More time'),
        answer('k2', 4),
        answer('k9', 3, 'Fewer meetings'),
      );
      expect(summarizePulse(swapped)).toEqual(summarizePulse(three));
      expect(changesSince(swapped, three)).toBe(2);
    });

    it('[product#team-pulse] one person sending several different answers counts once, however many and whatever they send', () => {
      const newcomer = recordOnto(
        three,
        answer('k4', 1, 'Only mine'),
        answer('k4', 2),
        answer('k4', 5, 'Changed my mind'),
        answer('k4', 1),
      );
      expect(newcomer).toHaveLength(4);
      expect(changesSince(newcomer, three)).toBe(1);
      const oldTimer = recordOnto(three, answer('k1', 1), answer('k1', 2, 'Less time'), answer('k1', 3));
      expect(changesSince(oldTimer, three)).toBe(1);
      expect(changesSince(recordOnto(newcomer, ...oldTimer.filter((a) => a.key === 'k1')), three)).toBe(2);
    });

    it('[product#team-pulse] an identical re-send counts for nothing: the list is unchanged, and so is the count', () => {
      for (const same of three) {
        const resent = recordOnto(three, { ...same }, { ...same });
        expect(resent).toEqual(three);
        expect(changesSince(resent, three)).toBe(0);
      }
      // Someone already changed sending their new answer again: still one.
      const changed = recordOnto(three, answer('k4', 2, 'Budget'));
      expect(
        changesSince(recordOnto(changed, answer('k4', 2, 'Budget'), answer('k4', 2, 'Budget')), three),
      ).toBe(1);
    });

    it('[product#team-pulse] changing and changing back counts for nothing: the score or the help back as it was is no change', () => {
      const backAgain = recordOnto(
        three,
        answer('k1', 4, 'More time'),
        answer('k1', 5, 'More time'),
        answer('k2', 4, 'Budget'),
        answer('k2', 4),
        answer('k3', 1),
        answer('k3', 3, 'Fewer meetings'),
      );
      expect(backAgain).toEqual(three);
      expect(changesSince(backAgain, three)).toBe(0);
      // Two people going there and back, and one newcomer: one change, not three.
      const withNewcomer = recordOnto(
        three,
        answer('k1', 4, 'More time'),
        answer('k1', 5, 'More time'),
        answer('k2', 3),
        answer('k4', 1, 'Only mine'),
        answer('k2', 4),
      );
      expect(changesSince(withNewcomer, three)).toBe(1);
    });

    it('[session#pulse] does not change the answers or the baseline it is given', () => {
      const answers = recordOnto(three, answer('k1', 2), answer('k4', 1));
      const baseline = structuredClone(three);
      const before = [structuredClone(answers), structuredClone(baseline)];
      changesSince(answers, baseline);
      changesSince(baseline, answers);
      expect([answers, baseline]).toEqual(before);
    });
  });

  describe('pulseView', () => {
    const three = record(answer('k1', 5, 'More time'), answer('k2', 4), answer('k3', 3, 'Fewer meetings'));
    const snapshot = summarizePulse(three);

    it('[product#team-pulse] shows nothing but the count (and every answer as a change) until results are shown, even from three answers on', () => {
      expect(pulseView([], NOTHING_YET)).toEqual({ count: 0, ...NOTHING_SHOWN, changesSinceShown: 0 });
      expect(pulseView(three, NOTHING_YET)).toEqual({ count: 3, ...NOTHING_SHOWN, changesSinceShown: 3 });
      // Visible, but no snapshot taken: still nothing.
      expect(pulseView(three, { snapshot: null, visible: true, baseline: [] })).toEqual({
        count: 3,
        ...NOTHING_SHOWN,
        changesSinceShown: 3,
      });
      // No snapshot: the changes are the answers, whatever a baseline says.
      expect(pulseView(three, { snapshot: null, visible: false, baseline: three }).changesSinceShown).toBe(3);
    });

    it('[product#team-pulse][session#pulse] shows the snapshot, not the live answers: the live count beside what the results shown are made of', () => {
      const later = recordOnto(three, answer('k4', 1, 'Budget'), answer('k1', 1));
      expect(pulseView(later, { snapshot, visible: true, baseline: three })).toEqual({
        count: 4,
        average: 4,
        helps: ['Fewer meetings', 'More time'],
        distribution: [0, 0, 1, 1, 1],
        shownCount: 3,
        changesSinceShown: 2,
      });
    });

    it('[product#team-pulse] a hidden snapshot shows nothing, and keeps counting the people whose answer differs from its baseline', () => {
      const results: PulseResults = { snapshot, visible: false, baseline: three };
      expect(pulseView(three, results)).toEqual({ count: 3, ...NOTHING_SHOWN, changesSinceShown: 0 });
      expect(pulseView(recordOnto(three, answer('k2', 4, 'Budget')), results)).toEqual({
        count: 3,
        ...NOTHING_SHOWN,
        changesSinceShown: 1,
      });
    });

    it('[product#team-pulse] changesSinceShown follows the baseline: a re-send does not raise it, a change changed back brings it down', () => {
      const results: PulseResults = { snapshot, visible: true, baseline: three };
      let answers = recordOnto(three, answer('k1', 5, 'More time'));
      expect(pulseView(answers, results).changesSinceShown).toBe(0);
      answers = recordOnto(answers, answer('k1', 2), answer('k4', 3));
      expect(pulseView(answers, results).changesSinceShown).toBe(2);
      answers = recordOnto(answers, answer('k1', 5, 'More time'));
      expect(pulseView(answers, results)).toEqual({
        ...pulseView(three, results),
        count: 4,
        changesSinceShown: 1,
      });
    });
  });

  describe('showPulseResults', () => {
    const three = record(answer('k1', 5, 'More time'), answer('k2', 4), answer('k3', 3, 'Fewer meetings'));
    const firstSnapshot = summarizePulse(three);
    /** The three answers above, shown: their snapshot, made of them. */
    const SHOWN: PulseResults = { snapshot: firstSnapshot, visible: true, baseline: three };
    const HIDDEN: PulseResults = { ...SHOWN, visible: false };
    /**
     * The answers some time after the three above were shown: k1 changed theirs, k3 dropped their
     * help, k4 answered; k2 did not change. Three people changed.
     */
    const later = record(
      answer('k1', 1, 'Second thoughts'),
      answer('k2', 4),
      answer('k3', 3),
      answer('k4', 2),
    );
    /** Answers with no change since the three above: the same ones, re-sent, or changed back. */
    const UNCHANGED: PulseAnswer[][] = [
      three,
      recordOnto(three, ...three.map((a) => ({ ...a }))),
      recordOnto(three, answer('k1', 1), answer('k1', 5, 'More time'), answer('k2', 4, 'x'), answer('k2', 4)),
    ];
    /** Answers with one or two people changed since the three above. */
    const FEW: Array<[string, PulseAnswer[]]> = [
      ['a newcomer', recordOnto(three, answer('k4', 2))],
      [
        'a newcomer answering three times',
        recordOnto(three, answer('k4', 2), answer('k4', 1), answer('k4', 5)),
      ],
      ['a changed help', recordOnto(three, answer('k2', 4, 'Budget'))],
      [
        'a changed answer and a newcomer',
        recordOnto(three, answer('k1', 1, 'Second thoughts'), answer('k4', 2)),
      ],
      [
        'a withdrawn answer and a newcomer',
        recordOnto(
          three.filter((a) => a.key !== 'k3'),
          answer('k4', 3, 'Fewer meetings'),
        ),
      ],
      [
        'two changed back and a newcomer',
        recordOnto(three, answer('k1', 4), answer('k4', 1), answer('k1', 5, 'More time'), answer('k2', 1)),
      ],
    ];
    /** Answers with three people or more changed since the three above. */
    const MANY: PulseAnswer[][] = [
      later,
      recordOnto(later, answer('k5', 5)),
      record(answer('k4', 1), answer('k5', 1), answer('k6', 1)),
    ];

    it('[product#team-pulse] refuses to show results below three answers with pulse_too_few, snapshot or not', () => {
      expectRefused(() => showPulseResults([], NOTHING_YET, true), 'pulse_too_few');
      expectRefused(() => showPulseResults(record(answer('k1', 3)), NOTHING_YET, true), 'pulse_too_few');
      expectRefused(
        () => showPulseResults(record(answer('k1', 3), answer('k2', 4)), NOTHING_YET, true),
        'pulse_too_few',
      );
      // A snapshot whose answers were withdrawn down to two is not shown again either.
      const two = three.filter((a) => a.key !== 'k3');
      for (const results of [SHOWN, HIDDEN]) {
        expectRefused(() => showPulseResults(two, results, true), 'pulse_too_few');
      }
    });

    it('[product#team-pulse][session#pulse] the first show takes a snapshot of the answers, and keeps them as its baseline', () => {
      const shown = showPulseResults(three, NOTHING_YET, true);
      expect(shown).toEqual({
        snapshot: {
          count: 3,
          average: 4,
          helps: ['Fewer meetings', 'More time'],
          distribution: [0, 0, 1, 1, 1],
        },
        visible: true,
        baseline: three,
      });
      // A copy: the live answers moving later does not move the baseline.
      expect(shown.baseline).not.toBe(three);
      expect(pulseView(three, shown).changesSinceShown).toBe(0);
      // No snapshot yet: three answers are enough, however many there are.
      expect(showPulseResults(later, NOTHING_YET, true)).toEqual({
        snapshot: summarizePulse(later),
        visible: true,
        baseline: later,
      });
    });

    it('[product#team-pulse][session#pulse] showing what is shown with nothing changed since is idempotent (a double click): the same results, the same snapshot', () => {
      for (const [i, answers] of UNCHANGED.entries()) {
        expect(changesSince(answers, three), `case ${i}`).toBe(0);
        const again = showPulseResults(answers, SHOWN, true);
        expect(again, `case ${i}`).toEqual(SHOWN);
        expect(pulseView(answers, again), `case ${i}`).toEqual(pulseView(three, SHOWN));
      }
      // Twice from scratch: the second show is the first one again.
      const once = showPulseResults(three, NOTHING_YET, true);
      expect(showPulseResults(three, once, true)).toEqual(once);
      expect(showPulseResults(three, showPulseResults(three, once, true), true)).toEqual(once);
    });

    it('[product#team-pulse] shown results with one or two people changed since: a new snapshot is refused with pulse_too_few', () => {
      for (const [what, answers] of FEW) {
        const changed = changesSince(answers, three);
        expect(changed, what).toBeGreaterThanOrEqual(1);
        expect(changed, what).toBeLessThan(PULSE_MIN_ANSWERS);
        expectRefused(() => showPulseResults(answers, SHOWN, true), 'pulse_too_few');
      }
    });

    it('[product#team-pulse] hidden results with fewer than three people changed since come back as they were: the old snapshot and baseline, the changes still counted', () => {
      for (const [what, answers] of [
        ...UNCHANGED.map((answers, i): [string, PulseAnswer[]] => [`unchanged ${i}`, answers]),
        ...FEW,
      ]) {
        const back = showPulseResults(answers, HIDDEN, true);
        expect(back, what).toEqual(SHOWN);
        // Everyone sees the old aggregate again, not the live answers: nothing new is revealed.
        expect(pulseView(answers, back), what).toEqual({
          count: answers.length,
          average: 4,
          helps: ['Fewer meetings', 'More time'],
          distribution: [0, 0, 1, 1, 1],
          shownCount: 3,
          changesSinceShown: changesSince(answers, three),
        });
      }
    });

    it('[product#team-pulse][session#pulse] takes a new snapshot, with the answers as its new baseline, from three people changed on, shown or hidden', () => {
      for (const answers of MANY) {
        expect(changesSince(answers, three)).toBeGreaterThanOrEqual(PULSE_MIN_ANSWERS);
        for (const results of [SHOWN, HIDDEN]) {
          const renewed = showPulseResults(answers, results, true);
          expect(renewed).toEqual({ snapshot: summarizePulse(answers), visible: true, baseline: answers });
          expect(pulseView(answers, renewed).changesSinceShown).toBe(0);
        }
      }
      expect(summarizePulse(later)).toEqual({
        count: 4,
        average: 2.5,
        helps: ['Second thoughts'],
        distribution: [1, 1, 1, 1, 0],
      });
    });

    it('[product#team-pulse] hiding keeps the snapshot and its baseline, and is always allowed', () => {
      for (const answers of [three, later, ...FEW.map(([, a]) => a), []]) {
        expect(showPulseResults(answers, SHOWN, false)).toEqual(HIDDEN);
        expect(showPulseResults(answers, HIDDEN, false)).toEqual(HIDDEN);
      }
      expect(showPulseResults([], NOTHING_YET, false)).toEqual(NOTHING_YET);
      expect(showPulseResults(record(answer('k1', 2)), NOTHING_YET, false)).toEqual(NOTHING_YET);
    });

    it('[product#team-pulse][session#pulse] hide, then show with no change: the same snapshot, as everyone sees it; and showing it again is still the same', () => {
      const shown = showPulseResults(three, NOTHING_YET, true);
      const hidden = showPulseResults(three, shown, false);
      expect(pulseView(three, hidden)).toEqual({ count: 3, ...NOTHING_SHOWN, changesSinceShown: 0 });
      const again = showPulseResults(three, hidden, true);
      expect(again).toEqual(shown);
      expect(pulseView(three, again)).toEqual(pulseView(three, shown));
      expect(showPulseResults(three, again, true)).toEqual(shown);
    });

    it('[product#team-pulse] changing and changing back unlocks nothing: a, b, c answer 5 and are shown; a and b go 5→4→5, d answers 1 — refused while shown, and the OLD snapshot after hiding, not one that differs by d alone', () => {
      let answers = record(answer('a', 5), answer('b', 5), answer('c', 5));
      let results = showPulseResults(answers, NOTHING_YET, true);
      const first = results;
      const shownFirst = {
        count: 3,
        average: 5,
        helps: [],
        distribution: [0, 0, 0, 0, 3],
        shownCount: 3,
        changesSinceShown: 0,
      };
      expect(pulseView(answers, results)).toEqual(shownFirst);

      answers = recordOnto(answers, answer('a', 4));
      expect(pulseView(answers, results).changesSinceShown).toBe(1);
      answers = recordOnto(answers, answer('a', 5));
      expect(pulseView(answers, results).changesSinceShown).toBe(0);
      answers = recordOnto(answers, answer('b', 4), answer('b', 5), answer('d', 1, 'Only mine'));
      // Three people sent something since (a, b and d), but only d's answer differs.
      expect(changesSince(answers, first.baseline)).toBe(1);
      expect(pulseView(answers, results)).toEqual({ ...shownFirst, count: 4, changesSinceShown: 1 });
      expectRefused(() => showPulseResults(answers, results, true), 'pulse_too_few');

      results = showPulseResults(answers, results, false);
      results = showPulseResults(answers, results, true);
      expect(results).toEqual(first);
      expect(results.snapshot).not.toEqual(summarizePulse(answers));
      expect(pulseView(answers, results)).toEqual({ ...shownFirst, count: 4, changesSinceShown: 1 });
      expect(pulseView(answers, results).helps).toEqual([]);

      // Two more people really changing theirs make three: the new results blend them.
      answers = recordOnto(answers, answer('a', 3), answer('b', 2));
      results = showPulseResults(answers, results, true);
      expect(results.baseline).toEqual(answers);
      expect(pulseView(answers, results)).toEqual({
        count: 4,
        average: 2.8,
        helps: ['Only mine'],
        distribution: [1, 1, 1, 0, 1],
        shownCount: 4,
        changesSinceShown: 0,
      });
    });

    it('[product#team-pulse][session#pulse] through recorded answers: two people changing while hidden bring the old results back; a third one makes new results', () => {
      let answers = record(...three);
      let results = showPulseResults(answers, NOTHING_YET, true);
      const first = pulseView(answers, results);
      results = showPulseResults(answers, results, false);

      answers = recordOnto(answers, answer('k1', 1, 'Second thoughts'), answer('k4', 2));
      results = showPulseResults(answers, results, true);
      expect(pulseView(answers, results)).toEqual({ ...first, count: 4, changesSinceShown: 2 });
      // Shown now, the same two changes do not make new results.
      expectRefused(() => showPulseResults(answers, results, true), 'pulse_too_few');

      answers = recordOnto(answers, answer('k3', 3));
      expect(pulseView(answers, results).changesSinceShown).toBe(3);
      results = showPulseResults(answers, results, true);
      expect(answers).toEqual(later);
      expect(results.baseline).toEqual(later);
      expect(pulseView(answers, results)).toEqual({
        count: 4,
        average: 2.5,
        helps: ['Second thoughts'],
        distribution: [1, 1, 1, 1, 0],
        shownCount: 4,
        changesSinceShown: 0,
      });
    });

    it('[product#team-pulse] a fourth participant answering three times cannot unlock new results: pulse_too_few while shown, the old ones while hidden', () => {
      let answers = record(...three);
      let results = showPulseResults(answers, NOTHING_YET, true);
      const first = pulseView(answers, results);

      answers = recordOnto(
        answers,
        answer('k4', 1, 'Only mine'),
        answer('k4', 2, 'Still only mine'),
        answer('k4', 3),
      );
      expect(changesSince(answers, results.baseline)).toBe(1);
      expectRefused(() => showPulseResults(answers, results, true), 'pulse_too_few');
      // Hidden and shown again: the old results, not ones that differ by k4's answer alone.
      results = showPulseResults(answers, showPulseResults(answers, results, false), true);
      expect(results.baseline).toEqual(three);
      expect(pulseView(answers, results)).toEqual({ ...first, count: 4, changesSinceShown: 1 });

      // Two more people changing theirs make three: the new results blend them.
      answers = recordOnto(answers, answer('k1', 2), answer('k2', 2));
      results = showPulseResults(answers, results, true);
      expect(pulseView(answers, results)).toMatchObject({ count: 4, shownCount: 4, average: 2.5 });
    });

    it('[session#pulse] does not change the answers or the results it is given', () => {
      const cases: Array<[PulseAnswer[], PulseResults, boolean]> = [
        [later, SHOWN, true],
        [later, HIDDEN, true],
        [three, SHOWN, true],
        [three, HIDDEN, true],
        [later, SHOWN, false],
        [three, NOTHING_YET, true],
        ...FEW.flatMap(([, answers]): Array<[PulseAnswer[], PulseResults, boolean]> => [
          [answers, SHOWN, true],
          [answers, HIDDEN, true],
        ]),
      ];
      for (const [answers, results, show] of cases) {
        const before = structuredClone([answers, results]);
        let after: PulseResults | undefined;
        try {
          after = showPulseResults(answers, results, show);
        } catch {
          // Refused: still nothing changed.
        }
        expect([answers, results]).toEqual(before);
        // Nor does a later change of the answers move the baseline it returned.
        if (after && after.baseline !== results.baseline) expect(after.baseline).not.toBe(answers);
      }
    });
  });
});
