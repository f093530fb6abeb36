/**
 * A new board's document from a whole-board file (docs/export.md#importing-a-board-file), in one
 * transaction, as `writeTemplate` writes a template: new ids, every text a `Y.Text`, the file's
 * order kept. Votes and agreed goals live in the session plane and are not written: an imported
 * board starts with no decision.
 */
import type * as Y from 'yjs';
import type { ParsedBoardFile } from '../export/board-file';
import { newId } from '../ids';
import { addCard, newItem } from './commands';
import { addCommitment, setNextCheckIn } from './commitments';
import { setEstimate, toggleHat, type Estimate } from './daytoday';
import { addGoal } from './goals';
import { ROOT } from './layout';
import { keyBetween } from './order';
import { SOURCE_KEYS } from './read';
import { newText } from './text';
import { writeFileLinks } from './from-file-links';
import { createTheme, renameTheme } from './themes';

/**
 * Writes the file's content into `doc` (the board's meta included); `people` maps each person
 * reference of the file to the participant id they get on the new board.
 */
export function writeBoardFile(
  doc: Y.Doc,
  file: ParsedBoardFile,
  board: { title: string; createdAt: number },
  people: ReadonlyMap<string, string>,
): void {
  const person = (ref: string | null | undefined): string => (ref ? (people.get(ref) ?? '') : '');
  // Items ordered by creation time get one millisecond each, in the file's order.
  let clock = board.createdAt;
  const tick = (): number => clock++;

  doc.transact(() => {
    const meta = doc.getMap(ROOT.meta);
    meta.set('title', board.title);
    meta.set('locale', file.board.locale);
    meta.set('template', file.board.template);
    meta.set('createdAt', board.createdAt);

    let order: string | null = null;
    const questions = doc.getMap(ROOT.questions);
    // Per question of the file, its new answers' and themes' ids (for themes and goal sources).
    const answerIds: string[][] = [];
    const themeIds: string[][] = [];
    for (const question of file.questions) {
      order = keyBetween(order, null);
      const id = newId();
      const fields = { id, text: newText(question.text), section: question.section, order };
      questions.set(
        id,
        newItem(
          question.section === 'day-to-day' ? { ...fields, kind: question.kind ?? 'duration' } : fields,
        ),
      );
      const answers = (question.answers ?? []).map((answer) =>
        addCard(doc, { questionId: id, text: answer.text, authorId: person(answer.author) }, null, tick()),
      );
      answerIds.push(answers);
      // Themes (docs/product.md#themes): an answer listed in two keeps the later one.
      const themes: string[] = [];
      for (const theme of question.themes ?? []) {
        const cardIds = theme.answers.map((at) => answers[at] as string);
        const themeId = createTheme(doc, { cardIds, authorId: '' }, null, tick());
        if (theme.name !== '') renameTheme(doc, themeId, theme.name);
        themes.push(themeId);
      }
      themeIds.push(themes);
      for (const { person: ref, ...estimate } of question.estimates ?? []) {
        setEstimate(doc, id, person(ref), estimate as Estimate);
      }
    }

    order = null;
    const hats = doc.getMap(ROOT.hats);
    for (const hat of file.hats) {
      order = keyBetween(order, null);
      const id = newId();
      hats.set(
        id,
        newItem(
          hat.added
            ? { id, label: newText(hat.label), order, added: true }
            : { id, label: newText(hat.label), order },
        ),
      );
      for (const ref of hat.wornBy ?? []) toggleHat(doc, id, person(ref));
    }

    const goalIds: string[] = [];
    for (const goal of file.goals) {
      const { title, why, metric, baseline, target, due, owner } = goal;
      const goalId = addGoal(
        doc,
        { title, why, metric, baseline, target, due: due ?? null, owner: owner ?? '' },
        person(goal.author),
        null,
        tick(),
      );
      goalIds.push(goalId);
      if (goal.source) {
        const { question, theme, answers } = goal.source;
        const item = doc.getMap(ROOT.goals).get(goalId) as Y.Map<unknown>;
        // A theme gone before the export keeps an id of its own, which no theme holds.
        item.set(SOURCE_KEYS.themeId, (theme === null ? undefined : themeIds[question]?.[theme]) ?? newId());
        item.set(
          SOURCE_KEYS.cardIds,
          answers
            .map((at) => answerIds[question]?.[at] ?? '')
            .join(' ')
            .trim(),
        );
      }
    }
    writeFileLinks(doc, file, goalIds, tick);
    for (const commitment of file.commitments) addCommitment(doc, commitment, null, tick());
    if (file.nextCheckIn) setNextCheckIn(doc, file.nextCheckIn);
  }, 'template');
}
