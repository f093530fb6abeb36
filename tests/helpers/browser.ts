/**
 * Real headless Chromium for browser tests: launched as scripts/lib/chromium.ts says (the bench
 * shares it), with screenshots of failures kept in test-results/.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { launchBrowser } from '../../scripts/lib/chromium';

export const screenshotDir = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-results');
