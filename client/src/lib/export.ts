/** The agreed-goals export (docs/export.md#agreed-goals-export) from the browser: fetched with my token, downloaded or copied. */
import { ApiError } from './api';

export interface ExportFile {
  text: string;
  fileName: string;
}

export async function fetchExport(boardId: string, token: string, includeAll: boolean): Promise<ExportFile> {
  let response: Response;
  try {
    response = await fetch(`/api/boards/${boardId}/export${includeAll ? '?status=all' : ''}`, {
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('network', 'The server cannot be reached.');
  }
  if (!response.ok) throw new ApiError('internal', `HTTP ${response.status}`);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'board-goals.json';
  return { text: await response.text(), fileName };
}

export function downloadFile(file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
