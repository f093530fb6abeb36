/**
 * A Svelte action for `<details>` popovers: Escape or a click elsewhere closes it, and focus goes
 * back to its summary after Escape (keyboard users are not left stranded). Inside an open sheet
 * marked `data-keeps-popovers` (the phone's menu), where the popover is part of the sheet's flow,
 * a press elsewhere in that sheet leaves it open: folding it under the finger would move what
 * the press was meant for.
 */
export function dismissable(details: HTMLDetailsElement): { destroy(): void } {
  const onPointerDown = (event: PointerEvent): void => {
    const target = event.target as Node;
    if (!details.open || details.contains(target)) return;
    if (details.parentElement?.closest('[data-keeps-popovers]')?.contains(target)) return;
    details.open = false;
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
