/**
 * The interface language: the browser's at first, then whatever the person picks (remembered).
 * A board's own locale only picks its template text, not the interface's language.
 */
import { storage } from '../storage';
import { LANGUAGES, MESSAGES, type Language, type Messages } from './messages';

function detect(): Language {
  const saved = storage.language.get();
  if (saved) return saved;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const base = tag.slice(0, 2).toLowerCase();
    if ((LANGUAGES as string[]).includes(base)) return base as Language;
  }
  return 'en';
}

class I18n {
  #language = $state<Language>(detect());

  get language(): Language {
    return this.#language;
  }

  /** The current dictionary: `i18n.t.home.create`. */
  get t(): Messages {
    return MESSAGES[this.#language];
  }

  set(language: Language): void {
    this.#language = language;
    storage.language.set(language);
    document.documentElement.lang = language;
  }
}

export const i18n = new I18n();
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export type { Language, Messages };
