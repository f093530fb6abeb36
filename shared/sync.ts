/** The sync endpoint's close codes (docs/sync.md#close-codes), known to the server and to Atelier's client. */
export const CLOSE = {
  /** The server is going away (SIGTERM, or the room is being unloaded): reconnect. */
  goingAway: 1001,
  /** A message that is not the y-websocket protocol, or a Yjs update that cannot be read. */
  badMessage: 1007,
  /** A frame over the size limit (ws closes with this code by itself). */
  frameTooLarge: 1009,
  /** The server failed to store an update: reconnect, the client still holds its edits. */
  serverError: 1011,
  /**
   * Too many frames from this connection, too many connections from its address, or the server
   * has no room to load the board now: retry later.
   */
  tryAgainLater: 1013,
  badToken: 4401,
  unknownBoard: 4404,
  /** The connection did not read what it was sent fast enough (its buffer passed its bound): reconnect. */
  tooSlow: 4408,
  /**
   * An update that cannot be integrated as it is: it waited too long for what it needs, or deletes
   * content the server has not seen. Reconnecting resyncs everything.
   */
  resync: 4409,
  docTooLarge: 4413,
  /** An update that breaks the board's rules (unknown shape, oversized field, excessive nesting). */
  refused: 4422,
  locked: 4423,
  /** The board's stored data cannot be loaded: reconnecting cannot help until it is repaired. */
  boardUnreadable: 4500,
  /** The server's disk (or database) is full: wait longer before trying again. */
  storageFull: 4507,
  /** An observer connection sent an update: an observer link is read-only (docs/sync.md#observers). */
  observerReadOnly: 4405,
  /** The observer link was revoked: every observer connection of the board closes at once. */
  observerRevoked: 4410,
} as const;

/** Codes after which reconnecting cannot help: the client stops and says why. */
export const TERMINAL_CLOSE_CODES: readonly number[] = [
  CLOSE.badToken,
  CLOSE.unknownBoard,
  CLOSE.refused,
  CLOSE.boardUnreadable,
  CLOSE.observerReadOnly,
  CLOSE.observerRevoked,
];

/**
 * The largest sync frame accepted, in bytes — except a client's sync answer or update, which may be
 * as large as the document limit (docs/sync.md, "Frames").
 */
export const MAX_SYNC_FRAME_BYTES = 1024 * 1024;
