/**
 * The whole board as one file from the browser (docs/export.md#whole-board-file): downloaded with
 * a facilitator's token, and sent back to make a new board (docs/http.md#import-a-board).
 */
import type { CreatedBoard } from '../../../shared/api';
import { isErrorCode } from '../../../shared/errors';
import { ApiError } from './api';
import type { ExportFile } from './export';

/** The server's limit on a board file (docs/http.md#import-a-board): checked here before sending. */
export const MAX_IMPORT_BYTES = 1024 * 1024;

async function failure(response: Response): Promise<ApiError> {
  const data = (await response.json().catch(() => null)) as {
    error?: { code?: unknown; message?: unknown };
  } | null;
  const code = data?.error?.code;
  const message = data?.error?.message;
  return new ApiError(
    isErrorCode(code) ? code : 'internal',
    typeof message === 'string' ? message : `HTTP ${response.status}`,
  );
}

export async function fetchBoardFile(boardId: string, token: string, template: boolean): Promise<ExportFile> {
  let response: Response;
  try {
    response = await fetch(`/api/boards/${boardId}/board.json${template ? '?template=1' : ''}`, {
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('network', 'The server cannot be reached.');
  }
  if (!response.ok) throw await failure(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'board.json';
  return { text: await response.text(), fileName };
}

/** Sends a file's text as it is: the server checks it and names the first problem. */
export async function importBoardFile(text: string): Promise<CreatedBoard> {
  let response: Response;
  try {
    response = await fetch('/api/boards/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
  } catch {
    throw new ApiError('network', 'The server cannot be reached.');
  }
  if (!response.ok) throw await failure(response);
  return (await response.json()) as CreatedBoard;
}
