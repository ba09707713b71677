import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IpcBridge } from "../bridge";
import { WavecraftProvider } from "../context";
import { IpcError } from "../errors";
import { createFakeEngine, makeParameter } from "../testing";
import { useAllParameters, useParameter } from "./useParameters";

const gain = makeParameter({ id: "gain", min: -60, max: 12, default: 0, unit: "dB" });
const mix = makeParameter({ id: "mix", min: 0, max: 1, default: 1 });

const ownBridges: IpcBridge[] = [];

afterEach(() => {
  for (const bridge of ownBridges.splice(0)) bridge.stop();
  vi.useRealTimers();
});

function setup(options: { bridge?: (engine: ReturnType<typeof createFakeEngine>) => IpcBridge } = {}) {
  const engine = createFakeEngine([gain, mix]);
  const bridge = options.bridge?.(engine);
  if (bridge) ownBridges.push(bridge);
  const wrapper = ({ children }: { children: ReactNode }) =>
    bridge ? (
      <WavecraftProvider bridge={bridge}>{children}</WavecraftProvider>
    ) : (
      <WavecraftProvider transport={engine.transport}>{children}</WavecraftProvider>
    );
  return { engine, bridge, wrapper };
}

describe("useAllParameters", () => {
  it("fetches the list once connected", async () => {
    const { wrapper } = setup();
    const { result } = renderHook(() => useAllParameters(), { wrapper });
    expect(result.current.parameters).toBeNull();
    await waitFor(() => expect(result.current.parameters?.map((p) => p.id)).toEqual(["gain", "mix"]));
  });

  it("shows a set value at once and keeps it when the server accepts", async () => {
    const { engine, wrapper } = setup();
    const { result } = renderHook(() => useAllParameters(), { wrapper });
    await waitFor(() => expect(result.current.parameters).not.toBeNull());
    let done: Promise<void> = Promise.resolve();
    act(() => {
      done = result.current.setParameter("gain", -6);
    });
    expect(result.current.parameters?.[0]?.value).toBe(-6);
    await act(() => done);
    expect(result.current.parameters?.[0]?.value).toBe(-6);
    expect(engine.parameters.get("gain")?.value).toBe(-6);
    expect(result.current.error).toBeNull();
  });

  it("rolls an optimistic value back when the server refuses it with -32001", async () => {
    const { engine, wrapper } = setup();
    const { result } = renderHook(() => useAllParameters(), { wrapper });
    await waitFor(() => expect(result.current.parameters).not.toBeNull());
    let done: Promise<void> = Promise.resolve();
    act(() => {
      done = result.current.setParameter("gain", 99);
    });
    expect(result.current.parameters?.[0]?.value).toBe(99);
    await act(() => done);
    expect(result.current.parameters?.[0]?.value).toBe(0);
    expect(engine.parameters.get("gain")?.value).toBe(0);
    expect(result.current.error).toBeInstanceOf(IpcError);
    expect(result.current.error).toMatchObject({ code: -32001 });
  });

  it("applies parameterChanged pushes from the server", async () => {
    const { engine, wrapper } = setup();
    const { result } = renderHook(() => useParameter("mix"), { wrapper });
    await waitFor(() => expect(result.current.param?.value).toBe(1));
    act(() => {
      engine.set("mix", 0.25);
    });
    await waitFor(() => expect(result.current.param?.value).toBe(0.25));
  });

  it("re-fetches on parametersChanged, keeping untouched parameters' identity", async () => {
    const { engine, wrapper } = setup();
    const { result } = renderHook(() => useAllParameters(), { wrapper });
    await waitFor(() => expect(result.current.parameters).toHaveLength(2));
    const gainBefore = result.current.parameters?.[0];
    act(() => {
      engine.reload([gain, makeParameter({ id: "drive", min: 0, max: 10 })]);
    });
    await waitFor(() => expect(result.current.parameters?.map((p) => p.id)).toEqual(["gain", "drive"]));
    expect(result.current.parameters?.[0]).toBe(gainBefore);
  });

  it("re-fetches after a reconnect, taking values whose revisions are no newer (the server may have restarted)", async () => {
    vi.useFakeTimers();
    const { engine, wrapper } = setup({
      bridge: (fake) => new IpcBridge(fake.transport, { random: () => 0.5 }),
    });
    const { result } = renderHook(() => useAllParameters(), { wrapper });
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(result.current.parameters).toHaveLength(2);
    expect(engine.server.callsTo("getAllParameters")).toHaveLength(1);

    act(() => {
      engine.server.drop();
    });
    // Revision 0 again, as from a restarted server: revisions count per connection.
    engine.parameters.set("mix", { ...mix, value: 0.5, revision: 0 });
    engine.server.restore();
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(engine.server.callsTo("getAllParameters")).toHaveLength(2);
    expect(result.current.parameters?.[1]?.value).toBe(0.5);
  });
});
