import { afterEach, describe, expect, it, vi } from "vitest";
import { IpcBridge, backoffDelay, type LinkStatus } from "./bridge";
import { IpcConnectionError, IpcError, IpcTimeoutError } from "./errors";
import { RpcFailure, createInMemoryLink } from "./transports/inMemory";
import { ERROR_CODES } from "./wire";

const bridges: IpcBridge[] = [];

function connect(options: ConstructorParameters<typeof IpcBridge>[1] = {}, accepting = true) {
  const { transport, server } = createInMemoryLink({ accepting });
  const bridge = new IpcBridge(transport, { random: () => 0.5, ...options });
  bridges.push(bridge);
  bridge.start();
  return { bridge, server };
}

afterEach(() => {
  for (const bridge of bridges.splice(0)) bridge.stop();
  vi.useRealTimers();
});

describe("IpcBridge requests", () => {
  it("resolves with the server's result", async () => {
    const { bridge, server } = connect();
    server.handle("ping", () => "pong");
    await expect(bridge.request("ping")).resolves.toBe("pong");
    expect(server.callsTo("ping")[0]).toMatchObject({ jsonrpc: "2.0", method: "ping" });
  });

  it("rejects with an IpcError carrying the server's code, message and data", async () => {
    const { bridge, server } = connect();
    server.handle("getParameter", ({ id }) => {
      throw new RpcFailure(ERROR_CODES.parameterNotFound, `unknown parameter ${id}`, { id });
    });
    const failure = await bridge.request("getParameter", { id: "nope" }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IpcError);
    expect(failure).toMatchObject({
      code: -32000,
      method: "getParameter",
      data: { id: "nope" },
    });
    expect((failure as IpcError).message).toContain("unknown parameter nope");
  });

  it("fails with a distinct timeout error when nobody answers", async () => {
    vi.useFakeTimers();
    const { bridge, server } = connect({ requestTimeoutMs: 1000 });
    server.handle("ping", () => new Promise<"pong">(() => undefined));
    const outcome = bridge.request("ping").catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(999);
    expect(server.callsTo("ping")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(IpcTimeoutError);
    expect(error).not.toBeInstanceOf(IpcError);
    expect(error).toMatchObject({ method: "ping", timeoutMs: 1000, sent: true });
  });

  it("holds a request made while disconnected until the link opens", async () => {
    vi.useFakeTimers();
    const { bridge, server } = connect({}, false);
    server.handle("ping", () => "pong");
    const answer = bridge.request("ping", undefined, { timeoutMs: 10_000 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(bridge.state).not.toBe("open");
    expect(server.requests).toHaveLength(0);
    server.restore();
    await vi.advanceTimersByTimeAsync(5000);
    expect(bridge.state).toBe("open");
    await expect(answer).resolves.toBe("pong");
  });

  it("says it never reached the server when the link stays down past the timeout", async () => {
    vi.useFakeTimers();
    const { bridge } = connect({ requestTimeoutMs: 2000 }, false);
    const outcome = bridge.request("ping").catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(2000);
    const error = await outcome;
    expect(error).toMatchObject({ name: "IpcTimeoutError", sent: false });
    expect((error as Error).message).toMatch(/waiting for a connection/);
  });

  it("fails a sent request with a connection error when the link drops before the answer", async () => {
    const { bridge, server } = connect();
    server.handle("ping", () => new Promise<"pong">(() => undefined));
    await vi.waitFor(() => expect(bridge.state).toBe("open"));
    const outcome = bridge.request("ping").catch((error: unknown) => error);
    await vi.waitFor(() => expect(server.callsTo("ping")).toHaveLength(1));
    server.drop();
    expect(await outcome).toBeInstanceOf(IpcConnectionError);
  });

  it("sends requests queued while disconnected before any sent from an open listener", async () => {
    vi.useFakeTimers();
    const { bridge, server } = connect({}, false);
    server.handle("ping", () => "pong");
    server.handle("getEngineInfo", () => ({
      name: "n",
      vendor: "v",
      version: "1",
      pluginId: "p",
      sdkVersion: "0",
    }));
    const queued = bridge.request("ping", undefined, { timeoutMs: 10_000 });
    bridge.onStateChange((state) => {
      if (state === "open") void bridge.request("getEngineInfo");
    });
    await vi.advanceTimersByTimeAsync(100);
    server.restore();
    await vi.advanceTimersByTimeAsync(5000);
    await expect(queued).resolves.toBe("pong");
    expect(server.requests.map((request) => request.method)).toEqual(["ping", "getEngineInfo"]);
  });

  it("fails a request at once after stop(), saying the bridge was stopped", async () => {
    vi.useFakeTimers();
    const { bridge } = connect({ requestTimeoutMs: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    bridge.stop();
    const outcome = bridge.request("ping").catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    const error = await Promise.race([outcome, Promise.resolve("still waiting")]);
    expect(error).toBeInstanceOf(IpcConnectionError);
    expect((error as Error).message).toMatch(/bridge was stopped/);
  });

  it("connects again after stop() and start()", async () => {
    const { bridge, server } = connect();
    server.handle("ping", () => "pong");
    await vi.waitFor(() => expect(bridge.state).toBe("open"));
    bridge.stop();
    bridge.start();
    await expect(bridge.request("ping")).resolves.toBe("pong");
  });
});

describe("IpcBridge connection", () => {
  it("reconnects after a drop and keeps delivering to existing subscriptions", async () => {
    vi.useFakeTimers();
    const { bridge, server } = connect();
    const states: string[] = [];
    bridge.onStateChange((state) => states.push(state));
    const seen: number[] = [];
    bridge.on("parameterChanged", ({ value }) => seen.push(value));
    await vi.advanceTimersByTimeAsync(0);
    server.notify("parameterChanged", { id: "gain", value: 1, revision: 1 });
    await vi.advanceTimersByTimeAsync(0);

    server.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(bridge.state).toBe("closed");
    // Still refused: the bridge keeps trying with growing delays.
    await vi.advanceTimersByTimeAsync(3000);
    expect(bridge.state).not.toBe("open");
    server.restore();
    await vi.advanceTimersByTimeAsync(5000);
    expect(bridge.state).toBe("open");
    expect(server.connectionCount).toBe(2);

    server.notify("parameterChanged", { id: "gain", value: 2, revision: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([1, 2]);
    expect(states).toContain("closed");
    expect(states.at(-1)).toBe("open");
  });

  it("never gives up, and never waits longer than the cap between attempts", async () => {
    vi.useFakeTimers();
    const { bridge, server } = connect({ backoff: { initialMs: 100, maxMs: 1000, jitter: 0 } }, false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(bridge.state).not.toBe("open");
    server.restore();
    await vi.advanceTimersByTimeAsync(1000);
    expect(bridge.state).toBe("open");
  });

  it("stops delivering to an unsubscribed handler", async () => {
    const { bridge, server } = connect();
    const handler = vi.fn();
    const unsubscribe = bridge.on("meterUpdate", handler);
    await vi.waitFor(() => expect(bridge.state).toBe("open"));
    server.notify("meterUpdate", { channels: [] });
    await vi.waitFor(() => expect(handler).toHaveBeenCalledTimes(1));
    unsubscribe();
    server.notify("meterUpdate", { channels: [] });
    server.handle("ping", () => "pong");
    await bridge.request("ping");
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe("IpcBridge status", () => {
  it("says a link that never opened is unreachable, with the close reason, once across retries", async () => {
    vi.useFakeTimers();
    const { transport, server } = createInMemoryLink({ accepting: false });
    const bridge = new IpcBridge(transport, { random: () => 0.5 });
    bridges.push(bridge);
    const seen: LinkStatus[] = [];
    bridge.onStatusChange((status) => seen.push(status));
    bridge.start();
    await vi.advanceTimersByTimeAsync(0);
    const unreachable = bridge.status;
    expect(unreachable).toEqual({
      kind: "unreachable",
      reason: "connection refused",
      endpoint: "the in-memory server",
    });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(bridge.status).toBe(unreachable);

    server.restore();
    await vi.advanceTimersByTimeAsync(5000);
    server.drop("server restarting");
    await vi.advanceTimersByTimeAsync(20_000);
    bridge.stop();
    expect(seen).toEqual([
      { kind: "connecting" },
      unreachable,
      { kind: "open" },
      { kind: "lost", reason: "server restarting" },
      { kind: "stopped" },
    ]);
  });
});

describe("IpcBridge subscriptions", () => {
  it("ignores an unsubscribe called twice, keeping a newer subscriber", async () => {
    const { bridge, server } = connect();
    const older = vi.fn();
    const newer = vi.fn();
    const unsubscribeOlder = bridge.on("meterUpdate", older);
    unsubscribeOlder();
    bridge.on("meterUpdate", newer);
    unsubscribeOlder();
    await vi.waitFor(() => expect(bridge.state).toBe("open"));
    server.notify("meterUpdate", { channels: [] });
    await vi.waitFor(() => expect(newer).toHaveBeenCalledTimes(1));
    expect(older).not.toHaveBeenCalled();
  });

  it("keeps the other registration of a handler subscribed twice", async () => {
    const { bridge, server } = connect();
    const handler = vi.fn();
    const first = bridge.on("meterUpdate", handler);
    bridge.on("meterUpdate", handler);
    first();
    first();
    await vi.waitFor(() => expect(bridge.state).toBe("open"));
    server.notify("meterUpdate", { channels: [] });
    await vi.waitFor(() => expect(handler).toHaveBeenCalledTimes(1));
  });
});

describe("backoffDelay", () => {
  const policy = { initialMs: 250, maxMs: 5000, jitter: 0.2 };

  it("doubles from the initial delay and stops at the cap", () => {
    const delays = [0, 1, 2, 3, 4, 5, 10, 100].map((attempt) => backoffDelay(attempt, policy, () => 0.5));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it("spreads delays by the jitter factor but never above the cap", () => {
    expect(backoffDelay(0, policy, () => 0)).toBeCloseTo(200);
    expect(backoffDelay(0, policy, () => 0.999_999)).toBeCloseTo(300);
    expect(backoffDelay(20, policy, () => 0.999_999)).toBe(5000);
  });
});
