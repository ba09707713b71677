import { afterEach, describe, expect, it, vi } from "vitest";
import { IpcBridge } from "../bridge";
import { WebSocketTransport } from "./websocket";

/** A browser WebSocket whose server refuses the handshake, as the dev server does for a foreign Origin. */
class RefusedWebSocket {
  static readonly OPEN = 1;
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: Pick<CloseEvent, "code" | "reason">) => void) | null = null;

  constructor(readonly url: string) {
    // A browser reports a refused upgrade (HTTP 403) only as code 1006, without a reason.
    queueMicrotask(() => {
      this.readyState = 3;
      this.onclose?.({ code: 1006, reason: "" });
    });
  }

  close(): void {
    this.readyState = 3;
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe("WebSocketTransport", () => {
  it("reports a refused connection with its close code and URL", async () => {
    vi.useFakeTimers();
    vi.stubGlobal("WebSocket", RefusedWebSocket);
    const bridge = new IpcBridge(new WebSocketTransport("ws://127.0.0.1:9000/ws"), { random: () => 0.5 });
    bridge.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(bridge.status).toEqual({
      kind: "unreachable",
      reason: "closed with code 1006",
      endpoint: "ws://127.0.0.1:9000/ws",
    });
    bridge.stop();
  });
});
