import { describe, expect, it } from "vitest";
import { DEFAULT_WS_URL, defaultTransport, isInPluginWindow, resolveWebSocketUrl } from "./config";
import { NativeTransport } from "./transports/native";
import { WebSocketTransport } from "./transports/websocket";

describe("resolveWebSocketUrl", () => {
  it("uses the URL the dev server passed", () => {
    expect(resolveWebSocketUrl("ws://127.0.0.1:9123/ws")).toBe("ws://127.0.0.1:9123/ws");
  });

  it("falls back to the SDK default when nothing (or only blanks) is configured", () => {
    expect(resolveWebSocketUrl(undefined)).toBe(DEFAULT_WS_URL);
    expect(resolveWebSocketUrl("  ")).toBe("ws://127.0.0.1:9000/ws");
  });
});

describe("defaultTransport", () => {
  it("talks to the plugin when the webview injected its channel", () => {
    const posted: string[] = [];
    const scope: Record<string, unknown> = { ipc: { postMessage: (text: string) => posted.push(text) } };
    expect(isInPluginWindow(scope)).toBe(true);
    const transport = defaultTransport(scope);
    expect(transport).toBeInstanceOf(NativeTransport);
    transport.connect();
    transport.send('{"jsonrpc":"2.0","id":1,"method":"ping"}');
    expect(posted).toEqual(['{"jsonrpc":"2.0","id":1,"method":"ping"}']);
    transport.close();
  });

  it("talks to the dev server in a browser tab (no channel, or something else named ipc)", () => {
    expect(isInPluginWindow({})).toBe(false);
    expect(isInPluginWindow({ ipc: { postMessage: "not a function" } })).toBe(false);
    expect(defaultTransport({})).toBeInstanceOf(WebSocketTransport);
  });
});
