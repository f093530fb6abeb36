/**
 * The agreed-goals export as the wrap-up shows it (docs/export.md#agreed-goals-export): the file the server would give now,
 * fetched again shortly after what it is made of changes. It is fetched only while something on
 * screen reads `file` (a `createSubscriber` source), so boards in other phases cost no requests.
 */
import { createSubscriber } from 'svelte/reactivity';
import { sameData } from './equal';
import { errorMessage } from './errors';
import { fetchBoardFile } from './board-file';
import { fetchExport, type ExportFile } from './export';
import { i18n } from './i18n/i18n.svelte';
import { notices } from './notices.svelte';

/** Changes arrive in bursts (typing, a vote round): one request after the burst. */
const REFETCH_AFTER_MS = 150;

export class ExportPreview {
  /** The export lists every goal, not the agreed ones only. */
  includeAll = $state(false);
  #file = $state.raw<ExportFile | null>(null);
  readonly #boardId: string;
  readonly #token: string;
  readonly #subscribe: () => void;

  /**
   * `inputs` reads everything the export is made of. Readers give fresh objects on every document
   * update and every session state, most of which leave the export as it was: only a change of
   * content (or of `includeAll`) refetches.
   */
  constructor(boardId: string, token: string, inputs: () => unknown) {
    this.#boardId = boardId;
    this.#token = token;
    this.#subscribe = createSubscriber(() => {
      let shown: unknown = undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      /** Bumped on every change: an answer to an older request is dropped. */
      let request = 0;
      const stop = $effect.root(() => {
        $effect(() => {
          const wanted = [inputs(), this.includeAll];
          if (request > 0 && sameData(wanted, shown)) return;
          shown = wanted;
          const current = ++request;
          const includeAll = this.includeAll;
          clearTimeout(timer);
          timer = setTimeout(() => {
            this.#fetch(includeAll).then(
              (fetched) => {
                if (current === request) this.#file = fetched;
              },
              () => {
                if (current === request) this.#file = null;
              },
            );
          }, REFETCH_AFTER_MS);
        });
      });
      return () => {
        stop();
        clearTimeout(timer);
        request += 1;
        // Shown again later, the preview starts empty, as on first showing.
        this.#file = null;
      };
    });
  }

  /** The whole board as one file, or its template (docs/export.md#whole-board-file): a facilitator's. */
  boardFile(template: boolean): Promise<ExportFile> {
    return fetchBoardFile(this.#boardId, this.#token, template);
  }

  /** The latest file fetched for the preview; null before the first answer or after a failure. */
  get file(): ExportFile | null {
    this.#subscribe();
    return this.#file;
  }

  /** Fetches the file now (to download or copy it); a failure is shown to me, and gives null. */
  async latest(): Promise<ExportFile | null> {
    try {
      return await this.#fetch(this.includeAll);
    } catch (failure) {
      notices.show(`${i18n.t.wrapUp.failed} ${errorMessage(failure)}`, 'error');
      return null;
    }
  }

  #fetch(includeAll: boolean): Promise<ExportFile> {
    return fetchExport(this.#boardId, this.#token, includeAll);
  }
}
