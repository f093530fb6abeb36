/**
 * The client's routes, on the History API: `/` (home), `/b/<boardId>` (a board) and
 * `/b/<boardId>/stage` (the board on the room's shared screen).
 */
export type Route =
  | { name: 'home' }
  | { name: 'board'; boardId: string }
  | { name: 'stage'; boardId: string }
  | { name: 'not-found' };

function parse(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const match = /^\/b\/([A-Za-z0-9_-]{8,64})(\/stage)?\/?$/.exec(pathname);
  if (!match) return { name: 'not-found' };
  return { name: match[2] ? 'stage' : 'board', boardId: match[1] as string };
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
