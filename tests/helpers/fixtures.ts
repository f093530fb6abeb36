/**
 * Test lifecycles as fixtures: call one at file or `describe` level, and it registers the hooks
 * (start before, stop after, clients closed after each test) and returns a handle to use in tests.
 *
 * Vitest runs "after" hooks in the reverse order of their registration: what a file registers
 * after a fixture is cleaned up before the fixture's own resources (e.g. pages before the browser,
 * the browser before the server).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { launchBrowser } from './browser';
import { startTestServer, type TestServer, type TestServerOptions } from './server';
import { SessionClients } from './session-clients';
import { SyncClients } from './sync-clients';

/** Socket.io and sync clients made during a test, every one closed after it. */
export interface Clients {
  readonly sessions: SessionClients;
  readonly sync: SyncClients;
}

export interface ClientsOptions {
  /** Cleanup of the file's own after each test, once the clients are closed (e.g. stopping server processes). */
  afterClients?: () => unknown;
}

/** Clients closed after each test (sessions, then sync, then `afterClients`). */
export function useClients(options: ClientsOptions = {}): Clients {
  const clients = { sessions: new SessionClients(), sync: new SyncClients() };
  afterEach(async () => {
    await clients.sessions.closeAll();
    await clients.sync.closeAll();
    await options.afterClients?.();
  });
  return clients;
}

/** One server for the whole file or `describe`, and the clients of its tests. */
export interface ServerFixture extends TestServer, Clients {}

/**
 * Starts one server before the tests of the file or `describe` it is called in (with `options`:
 * env such as limits, a data directory, a log sink), closes the clients after each test and the
 * server after all of them. The handle reads through to the running server, so it follows
 * `restart()`.
 */
export function useServer(options: TestServerOptions = {}): ServerFixture {
  const clients = useClients();
  let server: TestServer | undefined;
  const current = (): TestServer => {
    if (!server) throw new Error('useServer: the server is not started (use it inside a test or hook)');
    return server;
  };
  beforeAll(async () => {
    server = await startTestServer(options);
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    ...clients,
    get url() {
      return current().url;
    },
    get wsUrl() {
      return current().wsUrl;
    },
    get dataDir() {
      return current().dataDir;
    },
    get running() {
      return current().running;
    },
    restart: () => current().restart(),
    close: () => current().close(),
  };
}

/** Servers started by the tests themselves (each with its own options), and their clients. */
export interface ServersPerTest extends Clients {
  /** Starts a server for the current test; it is closed after the test, after the clients. */
  start(options?: TestServerOptions): Promise<TestServer>;
}

/** For files whose tests each start their own server: everything started is closed after each test. */
export function useServerPerTest(): ServersPerTest {
  const started: TestServer[] = [];
  // Registered first, so that it runs after the clients are closed.
  afterEach(async () => {
    for (const server of started.splice(0)) await server.close();
  });
  const clients = useClients();
  return {
    ...clients,
    async start(options = {}) {
      const server = await startTestServer(options);
      started.push(server);
      return server;
    },
  };
}

/** One headless Chromium for the file, and the contexts its tests open. */
export interface BrowserFixture {
  readonly browser: Browser;
  /** A new browser context, closed after all tests (before the browser). */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** Launches Chromium before the file's tests; closes every context, then the browser, after them. */
export function useBrowser(): BrowserFixture {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const current = (): Browser => {
    if (!browser) throw new Error('useBrowser: the browser is not launched (use it inside a test or hook)');
    return browser;
  };
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await browser?.close();
    browser = undefined;
  });
  return {
    get browser() {
      return current();
    },
    async newContext(options) {
      const context = await current().newContext(options);
      contexts.push(context);
      return context;
    },
  };
}
