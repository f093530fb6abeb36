/** The client's two routes: `/` (home) and `/b/<boardId>` (a board), on the History API. */
export type Route = { name: 'home' } | { name: 'board'; boardId: string } | { name: 'not-found' };

function parse(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const match = /^\/b\/([A-Za-z0-9_-]{8,64})\/?$/.exec(pathname);
  return match ? { name: 'board', boardId: match[1] as string } : { name: 'not-found' };
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
