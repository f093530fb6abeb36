/**
 * A Svelte action for `<details>` popovers: Escape or a click elsewhere closes it, and focus goes
 * back to its summary after Escape (keyboard users are not left stranded).
 */
export function dismissable(details: HTMLDetailsElement): { destroy(): void } {
  const onPointerDown = (event: PointerEvent): void => {
    if (details.open && !details.contains(event.target as Node)) details.open = false;
  };
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !details.open) return;
    details.open = false;
    details.querySelector('summary')?.focus();
  };
  document.addEventListener('pointerdown', onPointerDown);
  details.addEventListener('keydown', onKeyDown);
  return {
    destroy() {
      document.removeEventListener('pointerdown', onPointerDown);
      details.removeEventListener('keydown', onKeyDown);
    },
  };
}
