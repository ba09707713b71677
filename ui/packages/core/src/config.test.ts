import { describe, expect, it } from "vitest";
import { DEFAULT_WS_URL, resolveWebSocketUrl } from "./config";

describe("resolveWebSocketUrl", () => {
  it("uses the URL the dev server passed", () => {
    expect(resolveWebSocketUrl("ws://127.0.0.1:9123/ws")).toBe("ws://127.0.0.1:9123/ws");
  });

  it("falls back to the SDK default when nothing (or only blanks) is configured", () => {
    expect(resolveWebSocketUrl(undefined)).toBe(DEFAULT_WS_URL);
    expect(resolveWebSocketUrl("  ")).toBe("ws://127.0.0.1:9000/ws");
  });
});
