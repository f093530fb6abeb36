/**
 * The client's routes, on the History API: `/` (home), `/b/<boardId>` (a board),
 * `/b/<boardId>/stage` (the board on the room's shared screen) and `/b/<boardId>/summary` (what
 * the team takes away).
 */
export type Route =
  | { name: 'home' }
  | { name: 'board'; boardId: string }
  | { name: 'stage'; boardId: string }
  | { name: 'summary'; boardId: string }
  /** docs/http.md#observer-link: `/o/<key>`, `/o/<key>/stage`, `/o/<key>/summary`. */
  | { name: 'observe'; key: string; view: 'board' | 'stage' | 'summary' }
  | { name: 'not-found' };

function parse(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const observe = /^\/o\/([A-Za-z0-9_-]{43})(?:\/(stage|summary))?\/?$/.exec(pathname);
  if (observe)
    return { name: 'observe', key: observe[1] as string, view: (observe[2] ?? 'board') as 'board' };
  const match = /^\/b\/([A-Za-z0-9_-]{8,64})(?:\/(stage|summary))?\/?$/.exec(pathname);
  if (!match) return { name: 'not-found' };
  const boardId = match[1] as string;
  return match[2] === 'stage' || match[2] === 'summary'
    ? { name: match[2], boardId }
    : { name: 'board', boardId };
}

class Router {
  #route = $state<Route>(parse(location.pathname));

  constructor() {
    addEventListener('popstate', () => (this.#route = parse(location.pathname)));
  }

  get route(): Route {
    return this.#route;
  }

  go(path: string): void {
    history.pushState(null, '', path);
    this.#route = parse(location.pathname);
  }
}

export const router = new Router();
