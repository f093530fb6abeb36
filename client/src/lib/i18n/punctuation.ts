/**
 * Punctuation that differs between the interface's languages: the `punctuation` part of the
 * dictionaries (messages.ts), read as `i18n.t.punctuation`. French puts a no-break space before a
 * colon ("Responsable : Zoé"), English none ("Owner: Zoé"); a colon written after a translated
 * label in a component would be wrong in one of them.
 */

export const enPunctuation = {
  /** A label followed by its value: "Owner:". */
  label: (text: string) => `${text}:`,
};

export const frPunctuation: typeof enPunctuation = {
  label: (text: string) => `${text}\u00a0:`,
};
