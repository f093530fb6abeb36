/**
 * Short messages for everyone on this screen: refused requests, and announcements a screen
 * reader should hear. Rendered once, by the Notices component, in an aria-live region. One at a
 * time: a new one replaces the one on screen, and it shows where it covers nothing being edited.
 */
export interface Notice {
  id: number;
  text: string;
  kind: 'error' | 'info';
  /** At the top of the screen when the field being edited is near its bottom, else at the bottom. */
  place: 'top' | 'bottom';
}

const SHOWN_FOR_MS = 4_000;
/** A field whose bottom edge is this close to the screen's would sit under a toast at the bottom. */
const TOAST_ZONE_PX = 160;

/** Where a toast covers nothing being edited now. */
function placeFor(active: Element | null): Notice['place'] {
  if (typeof window === 'undefined' || !active?.matches('input, textarea, select, [contenteditable="true"]'))
    return 'bottom';
  return active.getBoundingClientRect().bottom > window.innerHeight - TOAST_ZONE_PX ? 'top' : 'bottom';
}

class Notices {
  #list = $state<Notice[]>([]);
  #next = 1;

  get list(): Notice[] {
    return this.#list;
  }

  show(text: string, kind: Notice['kind'] = 'info'): void {
    const place = placeFor(typeof document === 'undefined' ? null : document.activeElement);
    const notice = { id: this.#next++, text, kind, place };
    this.#list = [notice];
    setTimeout(() => this.dismiss(notice.id), SHOWN_FOR_MS);
  }

  dismiss(id: number): void {
    this.#list = this.#list.filter((notice) => notice.id !== id);
  }
}

export const notices = new Notices();
