/**
 * The three ways a request can fail, as distinct classes so callers can tell
 * "the server said no" from "nobody answered in time" from "the link went
 * away". Nothing here knows about transports or React.
 */

/** The server answered with a JSON-RPC error object. */
export class IpcError extends Error {
  /** JSON-RPC error code, e.g. -32001 for a value out of range. */
  readonly code: number;
  /** Optional structured detail the server attached. */
  readonly data: unknown;
  /** The method whose request failed. */
  readonly method: string;

  constructor(method: string, code: number, message: string, data?: unknown) {
    super(`${method} failed (${code}): ${message}`);
    this.name = "IpcError";
    this.method = method;
    this.code = code;
    this.data = data;
  }
}

/** No answer arrived within the request's timeout. */
export class IpcTimeoutError extends Error {
  /** The method that went unanswered. */
  readonly method: string;
  /** How long the bridge waited, in milliseconds. */
  readonly timeoutMs: number;
  /** Whether the request ever reached the wire (false: never connected). */
  readonly sent: boolean;

  constructor(method: string, timeoutMs: number, sent: boolean) {
    super(
      sent
        ? `${method} timed out after ${timeoutMs} ms without an answer`
        : `${method} timed out after ${timeoutMs} ms waiting for a connection to the Wavecraft server`,
    );
    this.name = "IpcTimeoutError";
    this.method = method;
    this.timeoutMs = timeoutMs;
    this.sent = sent;
  }
}

/** The connection closed (or the bridge stopped) before the answer came. */
export class IpcConnectionError extends Error {
  /** The method whose answer was lost. */
  readonly method: string;

  constructor(method: string, reason: string) {
    super(`${method} failed: ${reason}`);
    this.name = "IpcConnectionError";
    this.method = method;
  }
}
