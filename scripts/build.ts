/** `npm start`'s first step: build the client and the server when they are missing or stale. */
import { ensureClientBuilt } from './client-build';
import { ensureServerBuilt } from './server-build';

await ensureClientBuilt();
await ensureServerBuilt();
