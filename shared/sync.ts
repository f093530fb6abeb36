/** The sync endpoint's close codes (SPEC §5), known to the server and to Atelier's client. */
export const CLOSE = {
  /** The server is going away (SIGTERM, or the room is being unloaded): reconnect. */
  goingAway: 1001,
  /** A message that is not the y-websocket protocol, or a Yjs update that cannot be read. */
  badMessage: 1007,
  /** A frame over the size limit (ws closes with this code by itself). */
  frameTooLarge: 1009,
  /** The server failed to store an update: reconnect, the client still holds its edits. */
  serverError: 1011,
  /** Too many frames from this connection, or too many connections from its address: retry later. */
  tryAgainLater: 1013,
  badToken: 4401,
  unknownBoard: 4404,
  docTooLarge: 4413,
  locked: 4423,
} as const;

/** Codes after which reconnecting cannot help: the client stops and says why. */
export const TERMINAL_CLOSE_CODES: readonly number[] = [CLOSE.badToken, CLOSE.unknownBoard];

/** The largest sync frame accepted, in bytes (SPEC §8). */
export const MAX_SYNC_FRAME_BYTES = 1024 * 1024;
