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
});
