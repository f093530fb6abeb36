/**
 * The HTTP side: the JSON API under /api, the client's page and assets, security headers on every
 * response, and every error turned into `{"error": {code, message}}` in one place (docs/http.md#conventions, docs/errors.md#bad-input-and-faults).
 */
import { Hono, type Context, type Next } from 'hono';
import type { BlankEnv } from 'hono/types';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../../shared/errors';
import { BOARD_SCHEMA_PATH } from '../../shared/export/board-file';
import boardSchema from '../../shared/export/board-1.schema.json' with { type: 'json' };
import { SCHEMA_PATH } from '../../shared/export/goals-export';
import exportSchema from '../../shared/export/goals-export-1.schema.json' with { type: 'json' };
import { IncomingMessage } from 'node:http';
import type { BoardService } from '../boards';
import type { Limits } from '../config';
import { clientAddress } from '../lib/client-address';
import { RateLimiter } from '../lib/rate-limit';
import { HTTP_STATUS } from './errors';
import type { Observers } from '../observers';
import { boardRoutes } from './routes/boards';
import { observerRoutes } from './routes/observers';
import { networkRoutes, type Interfaces } from './routes/network';
import { loadClientFiles, sendAsset } from './static';

/** Request bodies are small JSON documents; anything larger is refused with 413. */
export const MAX_BODY_BYTES = 16 * 1024;
/** A whole-board file sent to `POST /api/boards/import` (docs/http.md#import-a-board) may be larger. */
export const MAX_IMPORT_BYTES = 1024 * 1024;
/** The one route whose body is a whole-board file. */
const IMPORT_PATH = '/api/boards/import';

export interface HttpDeps {
  boards: BoardService;
  observers: Observers;
  limits: Limits;
  trustProxy: boolean;
  /** Origin for share links; null to use the request's own. */
  publicUrl: string | null;
  /** HOST, the interface the server listens on (docs/http.md#network-addresses). */
  host: string;
  /** The machine's network interfaces; os.networkInterfaces unless a test gives its own. */
  interfaces?: () => Interfaces;
  clientDir: string;
  log: (message: string, error?: unknown) => void;
}

function errorResponse(c: Context, error: AppError): Response {
  return c.json({ error: error.toBody() }, HTTP_STATUS[error.code]);
}

export function createHttpApp(deps: HttpDeps): Hono {
  const client = loadClientFiles(deps.clientDir);
  const originOf = (c: Context): string => deps.publicUrl ?? new URL(c.req.url).origin;

  const app = new Hono();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      crossOriginEmbedderPolicy: false,
    }),
  );

  const limitBodies = (maxSize: number, what: string) =>
    bodyLimit({
      maxSize,
      onError: (c) => {
        // The rest of the body is never read, so this connection cannot carry another request:
        // say so, or the client would send its next request on it and find it closed under it.
        c.header('Connection', 'close');
        return errorResponse(c, new AppError('too_large', `${what} limited to ${maxSize} bytes.`));
      },
    });
  const smallBodies = limitBodies(MAX_BODY_BYTES, 'Request bodies are');
  const importBodies = limitBodies(MAX_IMPORT_BYTES, 'A board file is');
  app.use('/api/*', (c: Context<BlankEnv, string>, next: Next) =>
    c.req.method === 'POST' && c.req.path === IMPORT_PATH ? importBodies(c, next) : smallBodies(c, next),
  );

  app.get('/api/health', (c) => c.json({ ok: true }));
  // The export's JSON Schema at a stable address, readable by validators anywhere.
  app.get(SCHEMA_PATH, (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(exportSchema);
  });
  // The whole-board file's JSON Schema (docs/export.md#whole-board-schema), served the same way.
  app.get(BOARD_SCHEMA_PATH, (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.json(boardSchema);
  });
  // A small burst, then the hourly rate: enough for a facilitator's rehearsals, not for a script.
  const creations = new RateLimiter({ burst: 20, perSecond: deps.limits.boardCreationsPerHour / 3600 });
  const addressOf = (c: Context): string => {
    // @hono/node-server passes the Node request as `env.incoming`; a request made without a
    // server (Hono's app.request) has none.
    const env: unknown = c.env;
    const incoming = typeof env === 'object' && env !== null && 'incoming' in env ? env.incoming : null;
    return incoming instanceof IncomingMessage ? clientAddress(incoming, deps.trustProxy) : 'unknown';
  };
  app.route(
    '/api/boards',
    boardRoutes(deps.boards, originOf, {
      creations,
      // A room joining at once behind one address (a company network), then one a second.
      joins: new RateLimiter({ burst: 500, perSecond: 10 }),
      // In KiB. A room behind one address refreshes its wrap-up previews (a few KiB each) on every
      // change, far below 256 KiB a second; a script pulling a big board's export over and over
      // gets 4 MiB at once, then has to wait for each export as long as its size calls for.
      exports: new RateLimiter({ burst: 4096, perSecond: 256 }),
      addressOf,
    }),
  );
  // docs/http.md#observer-link: new observer keys share the board creations' budget.
  app.route('/api', observerRoutes(deps.observers, originOf, { creations, addressOf }));
  app.route('/api/network', networkRoutes(deps));
  app.all('/api/*', (c) => errorResponse(c, new AppError('not_found', 'There is no such API route.')));

  app.get('/', (c) => sendAsset(c, client.page()));
  app.get('/b/:id', (c) => sendAsset(c, client.page()));
  app.get('/b/:id/stage', (c) => sendAsset(c, client.page()));
  app.get('/b/:id/summary', (c) => sendAsset(c, client.page()));
  app.get('/o/:key', (c) => sendAsset(c, client.page()));
  app.get('/o/:key/stage', (c) => sendAsset(c, client.page()));
  app.get('/o/:key/summary', (c) => sendAsset(c, client.page()));
  app.get('*', (c) => {
    const asset = client.asset(c.req.path);
    if (asset) return sendAsset(c, asset);
    return c.text('Not found', 404);
  });

  app.onError((error, c) => {
    if (error instanceof AppError) return errorResponse(c, error);
    deps.log(`http: ${c.req.method} ${c.req.path} failed`, error);
    return errorResponse(c, new AppError('internal', 'Something went wrong on the server.'));
  });
  app.notFound((c) => errorResponse(c, new AppError('not_found', 'Not found.')));

  return app;
}
