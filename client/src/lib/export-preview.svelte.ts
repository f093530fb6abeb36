/**
 * The agreed-goals export as the wrap-up shows it (SPEC §7): the file the server would give now,
 * fetched again shortly after what it is made of changes. It is fetched only while something on
 * screen reads `file` (a `createSubscriber` source), so boards in other phases cost no requests.
 */
import { createSubscriber } from 'svelte/reactivity';
import { errorMessage } from './errors';
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

  /** `inputs` reads everything the export is made of: a change to any of it refetches. */
  constructor(boardId: string, token: string, inputs: () => unknown) {
    this.#boardId = boardId;
    this.#token = token;
    this.#subscribe = createSubscriber(() => {
      const stop = $effect.root(() => {
        $effect(() => {
          inputs();
          const includeAll = this.includeAll;
          let cancelled = false;
          const timer = setTimeout(() => {
            this.#fetch(includeAll).then(
              (fetched) => {
                if (!cancelled) this.#file = fetched;
              },
              () => {
                if (!cancelled) this.#file = null;
              },
            );
          }, REFETCH_AFTER_MS);
          return () => {
            cancelled = true;
            clearTimeout(timer);
          };
        });
      });
      return () => {
        stop();
        // Shown again later, the preview starts empty, as on first showing.
        this.#file = null;
      };
    });
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
