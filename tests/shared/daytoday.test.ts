/**
 * The day-to-day map (shared/board/daytoday, docs/product.md#phases phase 2, docs/product.md#day-to-day "Day-to-day", docs/sync.md#document-layout): hats and
 * recurring-task answers per person, read from untrusted content, merged without conflicts, and
 * summed into the team's load.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addHat,
  addQuestion,
  addTask,
  cleanEstimate,
  ESTIMATE_MAX,
  hoursPerWeek,
  LIMIT,
  newItem,
  readHats,
  readTasks,
  readWornHats,
  removeHat,
  ROOT,
  setEstimate,
  summariseLoad,
  timesPerWeek,
  toggleHat,
  WORKLOAD_ROOT,
  writeTemplate,
  type DurationEstimate,
  type Estimate,
  type FrequencyEstimate,
  type Task,
  type WornHat,
} from '../../shared/board';
import { ID_PATTERN, newId } from '../../shared/ids';
import { exchange, expectAppError } from '../helpers/expect';

const ANA = 'participant-ana';
const BEN = 'participant-ben';
const CHLOE = 'participant-chloe';

function kickoff(locale: 'en' | 'fr' = 'en'): Y.Doc {
  const doc = new Y.Doc();
  writeTemplate(doc, { title: 'Kickoff', locale, template: 'social-kickoff', createdAt: 1_780_000_000_000 });
  return doc;
}

/** A second replica of `doc`, as another browser holds it after the first sync. */
function replica(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function tasksOf(doc: Y.Doc): { messages: Task; calendar: Task; reporting: Task } {
  const [messages, calendar, reporting] = readTasks(doc);
  if (!messages || !calendar || !reporting) throw new Error('expected the three template tasks');
  return { messages, calendar, reporting };
}

function hatId(doc: Y.Doc, label: string): string {
  const hat = readHats(doc).find((candidate) => candidate.label === label);
  if (!hat) throw new Error(`no hat ${label}`);
  return hat.id;
}

function wearers(doc: Y.Doc, label: string): string[] {
  return readWornHats(doc).find((hat) => hat.label === label)?.wornBy ?? [];
}

/** Writes raw content the way a rogue client could: any key, any value. */
function writeRaw(doc: Y.Doc, root: string, key: string, value: unknown): void {
  doc.getMap(root).set(key, value);
}

const halfHourADay: DurationEstimate = { amount: 30, unit: 'minutes', per: 'day' };
const weekly: FrequencyEstimate = { times: 1, per: 'week' };

describe('recurring tasks: how long, or how often', () => {
  it('[product#day-to-day] the kickoff template asks how long for the first two tasks and how often for the third, in both languages', () => {
    for (const locale of ['en', 'fr'] as const) {
      const doc = kickoff(locale);
      expect(readTasks(doc).map((task) => task.kind)).toEqual(['duration', 'duration', 'frequency']);
      const stored = readTasks(doc).map((task) =>
        (doc.getMap(ROOT.questions).get(task.id) as Y.Map<unknown>).get('kind'),
      );
      expect(stored).toEqual(['duration', 'duration', 'frequency']);
    }
  });

  it('[product#discovery-questions][sync#document-layout] on a board made before `kind` existed, the wording decides, then the kickoff template’s third question', () => {
    const doc = kickoff('en');
    const items = doc.getMap(ROOT.questions);
    for (const task of readTasks(doc)) (items.get(task.id) as Y.Map<unknown>).delete('kind');
    expect(readTasks(doc).map((task) => task.kind)).toEqual(['duration', 'duration', 'frequency']);

    // The facilitator reworded the third question without "often": still the template's frequency question.
    const third = readTasks(doc)[2]?.id as string;
    (items.get(third) as Y.Map<unknown>).set('text', 'Reporting: when do we do it?');
    expect(readTasks(doc)[2]?.kind).toBe('frequency');

    const blank = new Y.Doc();
    writeTemplate(blank, { title: 'Blank', locale: 'fr', template: 'blank', createdAt: 0 });
    addQuestion(blank, { text: 'Combien de temps pour la veille ?', section: 'day-to-day' });
    addQuestion(blank, { text: 'À quelle fréquence publions-nous ?', section: 'day-to-day' });
    addQuestion(blank, { text: 'Les newsletters', section: 'day-to-day' });
    addQuestion(blank, { text: 'How often do we post?', section: 'discover' });
    expect(readTasks(blank).map((task) => [task.text, task.kind])).toEqual([
      ['Combien de temps pour la veille ?', 'duration'],
      ['À quelle fréquence publions-nous ?', 'frequency'],
      ['Les newsletters', 'duration'],
    ]);
  });

  it('[sync#the-sync-endpoint] an unknown `kind` value falls back as if there were none', () => {
    const doc = kickoff('en');
    const first = readTasks(doc)[0]?.id as string;
    (doc.getMap(ROOT.questions).get(first) as Y.Map<unknown>).set('kind', 'sometimes');
    expect(readTasks(doc)[0]?.kind).toBe('duration');
  });

  it('[sync#document-layout] addTask writes a day-to-day question with its kind after the other questions', () => {
    const doc = kickoff('en');
    const id = addTask(doc, { text: '  How often do we brief the agency?  ', kind: 'frequency' });
    expect(id).toMatch(ID_PATTERN);
    const last = readTasks(doc).at(-1);
    expect(last).toMatchObject({
      id,
      text: 'How often do we brief the agency?',
      kind: 'frequency',
      answers: [],
    });
    expectAppError(() => addTask(doc, { text: ' ', kind: 'duration' }), 'bad_request');
    expectAppError(() => addTask(doc, { text: 'x', kind: 'sometimes' as 'duration' }), 'bad_request');
  });
});

describe('hats', () => {
  it('[product#day-to-day] the ten hats of the template start with nobody wearing them', () => {
    const hats = readWornHats(kickoff('en'));
    expect(hats).toHaveLength(10);
    expect(hats.every((hat) => hat.wornBy.length === 0)).toBe(true);
  });

  it('[product#day-to-day] toggleHat puts a hat on, then takes it off, and says which', () => {
    const doc = kickoff('en');
    const writer = hatId(doc, 'Writer');
    expect(toggleHat(doc, writer, ANA)).toBe(true);
    expect(toggleHat(doc, writer, BEN)).toBe(true);
    expect(wearers(doc, 'Writer')).toEqual([ANA, BEN]);
    expect(toggleHat(doc, writer, ANA)).toBe(false);
    expect(wearers(doc, 'Writer')).toEqual([BEN]);
  });

  it('[sync#readers][errors#validation] toggleHat refuses an unknown hat or a malformed participant id and changes nothing', () => {
    const doc = kickoff('en');
    const before = Y.encodeStateVector(doc);
    expectAppError(() => toggleHat(doc, newId(), ANA), 'bad_request');
    expectAppError(() => toggleHat(doc, '__proto__', ANA), 'bad_request');
    expectAppError(() => toggleHat(doc, hatId(doc, 'Writer'), 'no'), 'bad_request');
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('[product#day-to-day] addHat adds a hat of the team’s own after the others, trimmed, and never twice', () => {
    const doc = kickoff('fr');
    const id = addHat(doc, '  Relations influenceurs ');
    expect(id).toMatch(ID_PATTERN);
    expect(readHats(doc).at(-1)).toMatchObject({ id, label: 'Relations influenceurs' });
    expect(addHat(doc, 'relations INFLUENCEURS')).toBe(id);
    expect(addHat(doc, 'vidéaste')).toBe(hatId(doc, 'Vidéaste'));
    expect(readHats(doc)).toHaveLength(11);
    expectAppError(() => addHat(doc, '   '), 'bad_request');
    expectAppError(() => addHat(doc, 'x'.repeat(LIMIT.title + 1)), 'too_large');
  });

  it('[product#day-to-day] removeHat takes a hat nobody wears off the board (a typo), and undo brings it back', () => {
    const doc = kickoff('en');
    const typo = addHat(doc, 'Podcsat host');
    const undo = new Y.UndoManager(doc.getMap(ROOT.hats), { trackedOrigins: new Set(['me']) });
    removeHat(doc, typo, 'me');
    expect(readHats(doc).map((hat) => hat.label)).not.toContain('Podcsat host');
    expect(readHats(doc)).toHaveLength(10);
    undo.undo();
    expect(readHats(doc).find((hat) => hat.label === 'Podcsat host')).toBeDefined();
  });

  it('[product#day-to-day][sync#ids-and-order] removeHat refuses a hat someone wears, a template hat, an unknown hat or an odd id, and changes nothing', () => {
    const doc = kickoff('en');
    const writer = hatId(doc, 'Writer');
    const podcasts = addHat(doc, 'Podcasts');
    toggleHat(doc, podcasts, ANA);
    const before = Y.encodeStateVector(doc);
    expect(
      readHats(doc)
        .filter((hat) => hat.added)
        .map((hat) => hat.label),
    ).toEqual(['Podcasts']);
    expectAppError(() => removeHat(doc, podcasts), 'bad_request');
    expectAppError(() => removeHat(doc, writer), 'bad_request');
    expectAppError(() => removeHat(doc, newId()), 'bad_request');
    expectAppError(() => removeHat(doc, '__proto__'), 'bad_request');
    expect(Y.encodeStateVector(doc)).toEqual(before);
    expect(wearers(doc, 'Podcasts')).toEqual([ANA]);
  });

  it('[sync#document-layout] a hat removed in one browser while put on in another is gone for both, and counts for nobody', () => {
    const here = kickoff('en');
    addHat(here, 'Videographer (live)');
    const there = replica(here);
    const videographer = hatId(here, 'Videographer (live)');
    removeHat(here, videographer);
    toggleHat(there, videographer, BEN);
    toggleHat(there, hatId(there, 'Writer'), BEN);
    exchange(here, there);
    for (const doc of [here, there]) {
      expect(readWornHats(doc).map((hat) => hat.label)).not.toContain('Videographer (live)');
      const [ben, ...others] = summariseLoad(readWornHats(doc), readTasks(doc)).people;
      expect(others).toEqual([]);
      expect(ben?.participantId).toBe(BEN);
      expect(ben?.hats.map((hat) => hat.label)).toEqual(['Writer']);
    }
  });

  it('[sync#document-layout] the same person’s hats are one entry of the workload root, keyed by their id', () => {
    const doc = kickoff('en');
    toggleHat(doc, hatId(doc, 'Writer'), ANA);
    toggleHat(doc, hatId(doc, 'Ad buyer'), ANA);
    expect([...doc.getMap(WORKLOAD_ROOT).keys()]).toEqual([ANA]);
    expect((doc.getMap(WORKLOAD_ROOT).toJSON() as Record<string, unknown>)[ANA]).toEqual({
      hats: { [hatId(doc, 'Writer')]: true, [hatId(doc, 'Ad buyer')]: true },
      estimates: {},
    });
  });
});

describe('estimates', () => {
  it('[product#day-to-day] setEstimate stores how long a task takes me, and how often for the frequency task', () => {
    const doc = kickoff('en');
    const { messages, reporting } = tasksOf(doc);
    setEstimate(doc, messages.id, ANA, halfHourADay);
    setEstimate(doc, reporting.id, ANA, weekly);
    const after = tasksOf(doc);
    expect(after.messages.answers).toEqual([{ participantId: ANA, estimate: halfHourADay }]);
    expect(after.reporting.answers).toEqual([{ participantId: ANA, estimate: weekly }]);
    expect(after.calendar.answers).toEqual([]);
  });

  it('[product#day-to-day] a new answer replaces my previous one whole; null removes it', () => {
    const doc = kickoff('en');
    const { messages } = tasksOf(doc);
    setEstimate(doc, messages.id, ANA, halfHourADay);
    setEstimate(doc, messages.id, ANA, { amount: 3, unit: 'hours', per: 'week' });
    expect(tasksOf(doc).messages.answers).toEqual([
      { participantId: ANA, estimate: { amount: 3, unit: 'hours', per: 'week' } },
    ]);
    setEstimate(doc, messages.id, ANA, null);
    expect(tasksOf(doc).messages.answers).toEqual([]);
  });

  it('[sync#document-layout] setting the same answer again writes nothing, and removing an answer nobody gave writes nothing', () => {
    const doc = kickoff('en');
    const { messages } = tasksOf(doc);
    setEstimate(doc, messages.id, ANA, halfHourADay);
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    setEstimate(doc, messages.id, ANA, { ...halfHourADay });
    setEstimate(doc, messages.id, BEN, null);
    expect(updates).toEqual([]);
  });

  it('[sync#readers][errors#document-content] setEstimate refuses an unknown task, a discovery question, the wrong shape or a number out of range', () => {
    const doc = kickoff('en');
    const { messages, reporting } = tasksOf(doc);
    const discover = addQuestion(doc, { text: 'Who is our audience?', section: 'discover' });
    const before = Y.encodeStateVector(doc);
    const refused: Array<[string, unknown]> = [
      [newId(), halfHourADay],
      [discover, halfHourADay],
      [messages.id, weekly],
      [reporting.id, halfHourADay],
      [messages.id, { amount: -1, unit: 'minutes', per: 'day' }],
      [messages.id, { amount: ESTIMATE_MAX.amount + 1, unit: 'hours', per: 'day' }],
      [messages.id, { amount: Number.NaN, unit: 'hours', per: 'day' }],
      [messages.id, { amount: '30', unit: 'minutes', per: 'day' }],
      [messages.id, { amount: 30, unit: 'days', per: 'day' }],
      [messages.id, { amount: 30, unit: 'minutes', per: 'year' }],
      [reporting.id, { times: ESTIMATE_MAX.times + 1, per: 'week' }],
      [reporting.id, { times: Number.POSITIVE_INFINITY, per: 'week' }],
    ];
    for (const [questionId, estimate] of refused) {
      expectAppError(() => setEstimate(doc, questionId, ANA, estimate as Estimate), 'bad_request');
    }
    expectAppError(() => setEstimate(doc, messages.id, 'bad id', halfHourADay), 'bad_request');
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('[sync#what-the-server-accepts] cleanEstimate keeps only the fields that are stored', () => {
    const extra = { ...halfHourADay, times: 3, note: 'hi' } as unknown as Estimate;
    expect(cleanEstimate('duration', extra)).toEqual(halfHourADay);
    expect(cleanEstimate('frequency', { times: 0, per: 'month', amount: 2 } as unknown as Estimate)).toEqual({
      times: 0,
      per: 'month',
    });
  });
});

describe('two people at once', () => {
  it('[sync#document-layout] two people putting on the same hat at the same moment both wear it once the documents converge', () => {
    const a = kickoff('en');
    const b = replica(a);
    const writer = hatId(a, 'Writer');
    toggleHat(a, writer, ANA);
    toggleHat(b, writer, BEN);
    toggleHat(b, hatId(b, 'Ad buyer'), BEN);
    exchange(a, b);
    expect(readWornHats(a)).toEqual(readWornHats(b));
    expect(wearers(a, 'Writer')).toEqual([ANA, BEN]);
    expect(wearers(a, 'Ad buyer')).toEqual([BEN]);
  });

  it('[sync#the-sync-endpoint] two people answering the same task at the same moment both keep their answer', () => {
    const a = kickoff('fr');
    const b = replica(a);
    const { messages, reporting } = tasksOf(a);
    setEstimate(a, messages.id, ANA, halfHourADay);
    setEstimate(b, messages.id, BEN, { amount: 2, unit: 'hours', per: 'day' });
    setEstimate(a, reporting.id, ANA, weekly);
    setEstimate(b, reporting.id, BEN, { times: 2, per: 'month' });
    exchange(a, b);
    expect(readTasks(a)).toEqual(readTasks(b));
    expect(tasksOf(a).messages.answers.map((answer) => answer.participantId)).toEqual([ANA, BEN]);
    expect(tasksOf(a).reporting.answers).toEqual([
      { participantId: ANA, estimate: weekly },
      { participantId: BEN, estimate: { times: 2, per: 'month' } },
    ]);
  });

  it('[product#day-to-day][sync#document-layout] two people adding hats at the same moment both see both hats', () => {
    const a = kickoff('en');
    const b = replica(a);
    const mine = addHat(a, 'Influencer relations');
    const theirs = addHat(b, 'Customer support');
    exchange(a, b);
    expect(readHats(a)).toEqual(readHats(b));
    expect(readHats(a).map((hat) => hat.id)).toEqual(expect.arrayContaining([mine, theirs]));
    expect(readHats(a)).toHaveLength(12);
  });

  it('[sync#the-sync-endpoint] each gesture is one transaction with the caller’s origin, so undo covers my own gestures only', () => {
    const a = kickoff('en');
    const b = replica(a);
    const local = Symbol('local');
    const undo = new Y.UndoManager([a.getMap(ROOT.hats), a.getMap(WORKLOAD_ROOT)], {
      trackedOrigins: new Set([local]),
    });
    const writer = hatId(a, 'Writer');
    toggleHat(b, writer, BEN);
    exchange(a, b);
    toggleHat(a, writer, ANA, local);
    undo.stopCapturing();
    const added = addHat(a, 'Moderator', local);
    undo.undo();
    expect(readHats(a).some((hat) => hat.id === added)).toBe(false);
    undo.undo();
    expect(wearers(a, 'Writer')).toEqual([BEN]);
  });
});

describe('untrusted content', () => {
  it('[sync#readers][errors#text-limits] readers skip malformed people, hats and answers and bound numbers, never throwing', () => {
    const doc = kickoff('en');
    const { messages, calendar, reporting } = tasksOf(doc);
    const writer = hatId(doc, 'Writer');
    const workload = (fields: Record<string, unknown>): Y.Map<unknown> => newItem(fields);

    writeRaw(doc, WORKLOAD_ROOT, '__proto__', workload({ hats: newItem({ [writer]: true }) }));
    writeRaw(doc, WORKLOAD_ROOT, 'short', workload({ hats: newItem({ [writer]: true }) }));
    writeRaw(doc, WORKLOAD_ROOT, newId(), 'not a map');
    writeRaw(doc, WORKLOAD_ROOT, newId(), workload({ hats: { [writer]: true }, estimates: 7 }));
    writeRaw(
      doc,
      WORKLOAD_ROOT,
      ANA,
      workload({
        hats: newItem({
          [writer]: true,
          [hatId(doc, 'Ad buyer')]: 'yes',
          [newId()]: true,
          ['__proto__']: true,
        }),
        estimates: newItem({
          [messages.id]: newItem({ amount: 1e9, unit: 'hours', per: 'week' }),
          [calendar.id]: newItem({ amount: -5, unit: 'minutes', per: 'day' }),
          [reporting.id]: newItem({ amount: 3, unit: 'hours', per: 'week' }),
          [newId()]: newItem({ amount: 1, unit: 'hours', per: 'week' }),
        }),
      }),
    );
    writeRaw(
      doc,
      WORKLOAD_ROOT,
      BEN,
      workload({
        estimates: newItem({
          [messages.id]: { amount: 1, unit: 'hours', per: 'week' },
          [calendar.id]: newItem({ amount: Number.NaN, unit: 'hours', per: 'week' }),
          [reporting.id]: newItem({ times: 5000, per: 'day' }),
        }),
      }),
    );
    writeRaw(
      doc,
      WORKLOAD_ROOT,
      CHLOE,
      workload({
        estimates: newItem({
          [messages.id]: newItem({ amount: '2', unit: 'hours', per: 'week' }),
          [calendar.id]: newItem({ amount: 2, unit: 'days', per: 'week' }),
          [reporting.id]: newItem({ times: 1, per: 'fortnight' }),
        }),
      }),
    );

    expect(readWornHats(doc).filter((hat) => hat.wornBy.length > 0)).toEqual([
      expect.objectContaining({ label: 'Writer', wornBy: [ANA] }),
    ]);
    const tasks = tasksOf(doc);
    expect(tasks.messages.answers).toEqual([
      { participantId: ANA, estimate: { amount: ESTIMATE_MAX.amount, unit: 'hours', per: 'week' } },
    ]);
    expect(tasks.calendar.answers).toEqual([
      { participantId: ANA, estimate: { amount: 0, unit: 'minutes', per: 'day' } },
    ]);
    expect(tasks.reporting.answers).toEqual([
      { participantId: BEN, estimate: { times: ESTIMATE_MAX.times, per: 'day' } },
    ]);
  });

  it('[sync#document-layout][errors#text-limits] a task’s text is cut at 500 characters and a workload root of garbage reads as empty', () => {
    const doc = new Y.Doc();
    addTask(doc, { text: 'How long?', kind: 'duration' });
    const id = readTasks(doc)[0]?.id as string;
    (doc.getMap(ROOT.questions).get(id) as Y.Map<unknown>).set('text', 'x'.repeat(2_000));
    doc.getMap(WORKLOAD_ROOT).set(ANA, newItem({ hats: 'all of them', estimates: new Y.Array() }));
    expect(readTasks(doc)[0]?.text).toHaveLength(LIMIT.text);
    expect(readTasks(doc)[0]?.answers).toEqual([]);
    expect(readWornHats(doc)).toEqual([]);
    expect(summariseLoad(readWornHats(doc), readTasks(doc))).toEqual({
      people: [],
      tasks: [{ task: readTasks(doc)[0], answered: 0, perWeek: 0, averagePerWeek: null }],
    });
  });

  it('[sync#readers] a person whose entry was overwritten by garbage can still answer: the missing maps are made again', () => {
    const doc = kickoff('en');
    doc.getMap(WORKLOAD_ROOT).set(ANA, newItem({ hats: 3 }));
    expect(toggleHat(doc, hatId(doc, 'Writer'), ANA)).toBe(true);
    setEstimate(doc, tasksOf(doc).messages.id, ANA, halfHourADay);
    expect(wearers(doc, 'Writer')).toEqual([ANA]);
    expect(tasksOf(doc).messages.answers).toHaveLength(1);
  });
});

describe('the team’s load', () => {
  it('[product#template] durations are normalised to hours per working week (5 days, 52/12 weeks a month)', () => {
    expect(hoursPerWeek(halfHourADay)).toBeCloseTo(2.5);
    expect(hoursPerWeek({ amount: 2, unit: 'hours', per: 'week' })).toBe(2);
    expect(hoursPerWeek({ amount: 13, unit: 'hours', per: 'month' })).toBeCloseTo(3);
    expect(hoursPerWeek({ amount: 90, unit: 'minutes', per: 'week' })).toBeCloseTo(1.5);
    expect(hoursPerWeek({ amount: 0, unit: 'hours', per: 'day' })).toBe(0);
  });

  it('[product#template] frequencies are normalised to times per working week', () => {
    expect(timesPerWeek({ times: 1, per: 'day' })).toBe(5);
    expect(timesPerWeek(weekly)).toBe(1);
    expect(timesPerWeek({ times: 13, per: 'month' })).toBeCloseTo(3);
  });

  it('[product#day-to-day] the summary lists the tasks that eat the most time first, then how often, then those nobody answered', () => {
    const doc = kickoff('en');
    const extra = addTask(doc, { text: 'How long do we spend on paid campaigns?', kind: 'duration' });
    const { messages, calendar, reporting } = tasksOf(doc);
    setEstimate(doc, messages.id, ANA, halfHourADay); // 2.5 h/week
    setEstimate(doc, messages.id, BEN, { amount: 1, unit: 'hours', per: 'day' }); // 5 h/week
    setEstimate(doc, calendar.id, ANA, { amount: 4, unit: 'hours', per: 'week' }); // 4 h/week
    setEstimate(doc, calendar.id, CHLOE, { amount: 26, unit: 'hours', per: 'month' }); // 6 h/week
    setEstimate(doc, reporting.id, BEN, weekly);
    setEstimate(doc, reporting.id, CHLOE, { times: 13, per: 'month' }); // 3 a week

    const { tasks } = summariseLoad(readWornHats(doc), readTasks(doc));
    expect(tasks.map((load) => load.task.id)).toEqual([calendar.id, messages.id, reporting.id, extra]);
    expect(tasks[0]?.perWeek).toBeCloseTo(10);
    expect(tasks[0]?.averagePerWeek).toBeCloseTo(5);
    expect(tasks[1]).toMatchObject({ answered: 2 });
    expect(tasks[1]?.perWeek).toBeCloseTo(7.5);
    expect(tasks[2]?.perWeek).toBeCloseTo(4);
    expect(tasks[2]?.averagePerWeek).toBeCloseTo(2);
    expect(tasks[3]).toMatchObject({ answered: 0, perWeek: 0, averagePerWeek: null });
  });

  it('[product#day-to-day] the summary lists each person with their hats in display order, most hats first, then most hours', () => {
    const doc = kickoff('en');
    for (const label of ['Ad buyer', 'Writer', 'Content creator']) toggleHat(doc, hatId(doc, label), BEN);
    for (const label of ['Writer', 'Data analyst']) toggleHat(doc, hatId(doc, label), ANA);
    toggleHat(doc, hatId(doc, 'Videographer'), CHLOE);
    toggleHat(doc, hatId(doc, 'Photographer'), CHLOE);
    const { messages, reporting } = tasksOf(doc);
    setEstimate(doc, messages.id, CHLOE, { amount: 1, unit: 'hours', per: 'day' });
    setEstimate(doc, reporting.id, 'participant-dan', weekly);

    const { people } = summariseLoad(readWornHats(doc), readTasks(doc));
    expect(people.map((person) => [person.participantId, person.hats.map((hat) => hat.label)])).toEqual([
      [BEN, ['Content creator', 'Writer', 'Ad buyer']],
      [CHLOE, ['Videographer', 'Photographer']],
      [ANA, ['Data analyst', 'Writer']],
      ['participant-dan', []],
    ]);
    expect(people[1]?.hoursPerWeek).toBe(5);
    expect(people[3]?.hoursPerWeek).toBe(0);
  });

  it('[product#day-to-day] the summary is a pure function of the readers’ results', () => {
    const hats: WornHat[] = [
      { id: 'hat-00001', label: 'Writer', order: 'V', added: false, wornBy: [ANA, BEN] },
      { id: 'hat-00002', label: 'Ad buyer', order: 'W', added: true, wornBy: [BEN] },
    ];
    const tasks: Task[] = [
      { id: 'task-00001', text: 'How often?', order: 'a', kind: 'frequency', answers: [] },
      {
        id: 'task-00002',
        text: 'How long?',
        order: 'b',
        kind: 'duration',
        answers: [{ participantId: ANA, estimate: { amount: 90, unit: 'minutes', per: 'week' } }],
      },
    ];
    const summary = summariseLoad(hats, tasks);
    expect(
      summary.people.map((person) => [person.participantId, person.hats.length, person.hoursPerWeek]),
    ).toEqual([
      [BEN, 2, 0],
      [ANA, 1, 1.5],
    ]);
    expect(summary.tasks.map((load) => load.task.id)).toEqual(['task-00002', 'task-00001']);
  });
});
