/**
 * The workshop summary in the browser (docs/export.md#summary): the shared model built from the
 * board as this member reads it and the session as it is shown to them, so the page, the copied
 * Markdown and the downloaded CSV show exactly what this person may see — the votes as hidden or
 * revealed as on their screen.
 */
import type { Checkin } from '../../../shared/board/checkins';
import type { LoadSummary } from '../../../shared/board/daytoday';
import type { BoardMeta, Card, Commitment, Goal, Question } from '../../../shared/board/layout';
import { csvDelimiterFor, toCsv } from '../../../shared/export/csv';
import { toMarkdown, type MarkdownScope } from '../../../shared/export/markdown';
import { buildSummary, summaryFileName, type Summary } from '../../../shared/export/summary';
import type { SessionView } from '../../../shared/session/state';
import { copyText } from './share';

/** What the board's reactive state holds (BoardState's fields). */
export interface BoardContent {
  meta: BoardMeta;
  goals: Goal[];
  commitments: Commitment[];
  discoverQuestions: Question[];
  cardsByQuestion: Map<string, Card[]>;
  load: LoadSummary;
  checkins?: Checkin[];
}

export function summaryOf(boardId: string, url: string, board: BoardContent, view: SessionView): Summary {
  const summary = buildSummary({
    board: { id: boardId, url },
    content: {
      meta: board.meta,
      goals: board.goals,
      commitments: board.commitments,
      discovery: board.discoverQuestions.map((question) => ({
        question: question.text,
        answers: (board.cardsByQuestion.get(question.id) ?? []).map((card) => card.text),
      })),
      load: board.load,
      checkins: board.checkins ?? [],
    },
    participants: view.participants,
    // The browser sees tallies, not who voted what: one holder of every vote gives the same
    // tallies (the numbers of voters and votes are the session's own, just below).
    votes: view.tallies ? { tallies: view.tallies } : {},
    voting: view.voting,
    agreed: view.agreed,
    showVotes: view.tallies !== null,
    status: 'agreed',
    pulse: view.pulse,
    now: new Date(),
  });
  return {
    ...summary,
    voting: {
      votesPerPerson: view.voting.votesPerPerson,
      voters: view.voting.voters,
      votesCast: view.voting.votesCast,
    },
  };
}

export async function copyMarkdown(summary: Summary, scope: MarkdownScope): Promise<boolean> {
  return copyText(toMarkdown(summary, summary.board.locale, scope));
}

/**
 * Saves the goals as a CSV file (`<slug>-goals.csv`), through a download link; separated by
 * semicolons on a French board, for the spreadsheets of its readers (docs/export.md#csv-delimiter).
 */
export function downloadCsv(summary: Summary): void {
  const { locale } = summary.board;
  const blob = new Blob([toCsv(summary, locale, csvDelimiterFor(locale))], {
    type: 'text/csv;charset=utf-8',
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = summaryFileName(summary.board.title, 'csv');
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function summaryPath(boardId: string): string {
  return `/b/${boardId}/summary`;
}
