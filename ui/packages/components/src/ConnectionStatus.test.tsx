import { IpcBridge, WavecraftProvider } from "@wavecraft/core";
import { createFakeEngine } from "@wavecraft/core/testing";
import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConnectionStatus } from "./ConnectionStatus";

afterEach(() => {
  vi.useRealTimers();
});

describe("ConnectionStatus", () => {
  it("follows the link through a drop and the reconnect", async () => {
    vi.useFakeTimers();
    const engine = createFakeEngine([]);
    const bridge = new IpcBridge(engine.transport, { random: () => 0.5 });
    render(
      <WavecraftProvider bridge={bridge}>
        <ConnectionStatus />
      </WavecraftProvider>,
    );
    expect(screen.getByRole("status").textContent).toBe("Connecting…");
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole("status").textContent).toBe("Connected");

    act(() => {
      engine.server.drop();
    });
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole("status").textContent).toBe("Disconnected, retrying…");

    engine.server.restore();
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByRole("status").textContent).toBe("Connected");
    bridge.stop();
  });

  it("says why a link that never opened fails and which URL to open, announced once across retries", async () => {
    vi.useFakeTimers();
    const engine = createFakeEngine([], { accepting: false });
    const bridge = new IpcBridge(engine.transport, { random: () => 0.5 });
    render(
      <WavecraftProvider bridge={bridge}>
        <ConnectionStatus devUiUrl="http://127.0.0.1:5200" />
      </WavecraftProvider>,
    );
    await act(() => vi.advanceTimersByTimeAsync(0));
    const status = screen.getByRole("status");
    expect(status.textContent).toBe(
      "Cannot connect, retrying…the in-memory server: connection refused, never opened. " +
        "Is `wavecraft start` running? Its dev server accepts only the UI it serves: open http://127.0.0.1:5200.",
    );

    const changes: MutationRecord[] = [];
    const observer = new MutationObserver((records) => changes.push(...records));
    observer.observe(status, { subtree: true, childList: true, characterData: true, attributes: true });
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    observer.disconnect();
    expect(changes).toEqual([]);
    bridge.stop();
  });

  it("announces a drop once, not each failed retry after it", async () => {
    vi.useFakeTimers();
    const engine = createFakeEngine([]);
    const bridge = new IpcBridge(engine.transport, { random: () => 0.5 });
    render(
      <WavecraftProvider bridge={bridge}>
        <ConnectionStatus />
      </WavecraftProvider>,
    );
    await act(() => vi.advanceTimersByTimeAsync(0));
    const status = screen.getByRole("status");
    expect(status.getAttribute("aria-live") ?? "polite").toBe("polite");

    act(() => {
      engine.server.drop();
    });
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(status.textContent).toBe("Disconnected, retrying…");
    const changes: MutationRecord[] = [];
    const observer = new MutationObserver((records) => changes.push(...records));
    observer.observe(status, { subtree: true, childList: true, characterData: true });
    const attempts = vi.spyOn(engine.server, "accept");
    await act(() => vi.advanceTimersByTimeAsync(30_000));
    observer.disconnect();
    expect(changes).toEqual([]);
    expect(screen.getByRole("status")).toBe(status);
    // The bridge did retry (refused each time) while the badge stayed as it was.
    expect(attempts.mock.calls.length).toBeGreaterThan(3);
    bridge.stop();
  });

  it("suggests the default dev UI URL", async () => {
    vi.useFakeTimers();
    const engine = createFakeEngine([], { accepting: false });
    const bridge = new IpcBridge(engine.transport, { random: () => 0.5 });
    render(
      <WavecraftProvider bridge={bridge}>
        <ConnectionStatus />
      </WavecraftProvider>,
    );
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole("status").textContent).toMatch(/open http:\/\/127\.0\.0\.1:5173\.$/);
    bridge.stop();
  });
});
