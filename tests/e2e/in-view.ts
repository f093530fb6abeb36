/** Where things are on a real page's screen (evaluated in the browser, hence beside the browser tests). */
import type { Page } from 'playwright-core';

/** Whether the first element matching `selector` is wholly inside the window (false when absent). */
export const inView = (page: Page, selector: string): Promise<boolean> =>
  page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const box = element.getBoundingClientRect();
      return (
        box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth
      );
    })
    .catch(() => false);
