/**
 * WavecraftProvider's choice of when value sends go out: inside a plugin window
 * (NativeTransport) at the end of the event that set them, with no frame needed;
 * elsewhere at the next animation frame.
 */
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WavecraftProvider, useParameterStore } from "./context";
import { NativeTransport } from "./transports/native";
import type { Transport } from "./transports/transport";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Frames that never come, so only a send that needs none goes out. */
function stubNoFrames() {
  const asked = vi.fn(() => 1);
  vi.stubGlobal("requestAnimationFrame", asked);
  vi.stubGlobal("cancelAnimationFrame", () => undefined);
  return asked;
}

function setParameterPosts(post: ReturnType<typeof vi.fn>): string[] {
  return post.mock.calls.map(([text]) => String(text)).filter((text) => text.includes('"setParameter"'));
}

function renderStore(transport: Transport) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <WavecraftProvider transport={transport}>{children}</WavecraftProvider>
  );
  return renderHook(() => useParameterStore(), { wrapper }).result.current;
}

describe("WavecraftProvider value sends", () => {
  it("in a plugin window go out at the end of the event, without waiting for a frame", async () => {
    const frames = stubNoFrames();
    const postMessage = vi.fn();
    const store = renderStore(new NativeTransport({ ipc: { postMessage } }));
    await act(async () => {
      void store.set("gain", 0.25);
      void store.set("gain", 0.5);
      await Promise.resolve();
    });
    const sent = setParameterPosts(postMessage).map((text) => JSON.parse(text) as { params: unknown });
    expect(sent.map((call) => call.params)).toEqual([{ id: "gain", value: 0.5 }]);
    expect(frames).not.toHaveBeenCalled();
  });

  it("elsewhere wait for the next frame", async () => {
    const frames = stubNoFrames();
    const postMessage = vi.fn();
    // A transport that is not the plugin window's: the same channel behind another class.
    const native = new NativeTransport({ ipc: { postMessage } });
    const other: Transport = {
      endpoint: "a test link",
      connect: () => native.connect(),
      send: (text) => native.send(text),
      onMessage: (handler) => native.onMessage(handler),
      onOpen: (handler) => native.onOpen(handler),
      onClose: (handler) => native.onClose(handler),
      close: () => native.close(),
    };
    const store = renderStore(other);
    await act(async () => {
      void store.set("gain", 0.5);
      await Promise.resolve();
    });
    expect(setParameterPosts(postMessage)).toHaveLength(0);
    expect(frames).toHaveBeenCalled();
  });
});
