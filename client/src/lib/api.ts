/** The HTTP API from the browser (docs/http.md#status-codes); failures become `ApiError`s with the server's code. */
import type { BoardSummary, CreatedBoard, Joined } from '../../../shared/api';
import type { Locale, TemplateId } from '../../../shared/board/layout';
import { isErrorCode, type ErrorCode } from '../../../shared/errors';

export class ApiError extends Error {
  /** The server's error code, or `network` when no answer came back. */
  readonly code: ErrorCode | 'network';
  constructor(code: ErrorCode | 'network', message: string) {
    super(message);
    this.code = code;
  }
}

async function request<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  let response: Response;
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('network', 'The server cannot be reached.');
  }
  const data = (await response.json().catch(() => null)) as
    (T & { error?: undefined }) | { error?: { code?: unknown; message?: unknown } } | null;
  if (!response.ok || !data) {
    const code = data?.error?.code;
    const message = data?.error?.message;
    throw new ApiError(
      isErrorCode(code) ? code : 'internal',
      typeof message === 'string' ? message : `HTTP ${response.status}`,
    );
  }
  return data as T;
}

export const api = {
  createBoard: (body: { title?: string; locale: Locale; template: TemplateId }) =>
    request<CreatedBoard>('POST', '/api/boards', body),
  getBoard: (boardId: string) => request<BoardSummary>('GET', `/api/boards/${boardId}`),
  join: (boardId: string, body: { name: string; facilitatorKey?: string }) =>
    request<Joined>('POST', `/api/boards/${boardId}/join`, body),
  /** docs/http.md#network-addresses: where teammates reach this server, for a page opened on localhost. */
  network: () => request<{ origins: string[] }>('GET', '/api/network'),
  /** docs/http.md#observer-link */
  createObserverLink: (boardId: string, token: string) =>
    request<{ key: string; url: string }>('POST', `/api/boards/${boardId}/observer`, undefined, token),
  revokeObserverLink: (boardId: string, token: string) =>
    request<{ revoked: true }>('DELETE', `/api/boards/${boardId}/observer`, undefined, token),
  observe: (key: string) =>
    request<{ boardId: string; title: string; locale: Locale }>('GET', `/api/observe/${key}`),
};
