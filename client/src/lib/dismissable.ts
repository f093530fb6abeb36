/**
 * A Svelte action for `<details>` popovers: Escape or a click elsewhere closes it, and focus goes
 * back to its summary after Escape (keyboard users are not left stranded). It closes once the
 * click is done, not as the pointer goes down: a popover in the flow of a menu (the people list
 * on a phone) would otherwise fold under the finger and the tap would land on something else.
 */
export function dismissable(details: HTMLDetailsElement): { destroy(): void } {
  const onClickElsewhere = (event: MouseEvent): void => {
    if (details.open && !details.contains(event.target as Node)) details.open = false;
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !details.open) return;
    details.open = false;
    details.querySelector('summary')?.focus();
  };
  document.addEventListener('click', onClickElsewhere);
  details.addEventListener('keydown', onKeyDown);
  return {
    destroy() {
      document.removeEventListener('click', onClickElsewhere);
      details.removeEventListener('keydown', onKeyDown);
    },
  };
}
