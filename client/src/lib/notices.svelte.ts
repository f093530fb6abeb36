/**
 * Short messages for everyone on this screen: refused requests, and announcements a screen
 * reader should hear. Rendered once, by the Notices component, in an aria-live region.
 */
export interface Notice {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

const SHOWN_FOR_MS = 5_000;

class Notices {
  #list = $state<Notice[]>([]);
  #next = 1;

  get list(): Notice[] {
    return this.#list;
  }

  show(text: string, kind: Notice['kind'] = 'info'): void {
    const notice = { id: this.#next++, text, kind };
    this.#list = [...this.#list.slice(-2), notice];
    setTimeout(() => this.dismiss(notice.id), SHOWN_FOR_MS);
  }

  dismiss(id: number): void {
    this.#list = this.#list.filter((notice) => notice.id !== id);
  }
}

export const notices = new Notices();
