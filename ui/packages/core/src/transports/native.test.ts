import { describe, expect, it, vi } from "vitest";
import { NATIVE_RECEIVER_NAME, NativeTransport, type NativeIpcReceiver } from "./native";

describe("NativeTransport", () => {
  it("refuses to exist outside a plugin window", () => {
    expect(() => new NativeTransport({})).toThrow(/window\.ipc\.postMessage is missing/);
  });

  it("posts frames to the host and receives through the installed receiver", async () => {
    const postMessage = vi.fn();
    const scope: Record<string, unknown> = { ipc: { postMessage } };
    const transport = new NativeTransport(scope);
    const opened = vi.fn();
    const received = vi.fn();
    transport.onOpen(opened);
    transport.onMessage(received);
    transport.connect();
    await vi.waitFor(() => expect(opened).toHaveBeenCalled());

    transport.send('{"jsonrpc":"2.0","id":1,"method":"ping"}');
    expect(postMessage).toHaveBeenCalledWith('{"jsonrpc":"2.0","id":1,"method":"ping"}');
    (scope[NATIVE_RECEIVER_NAME] as NativeIpcReceiver).receive('{"jsonrpc":"2.0","id":1,"result":"pong"}');
    expect(received).toHaveBeenCalledWith('{"jsonrpc":"2.0","id":1,"result":"pong"}');

    transport.close();
    expect(scope[NATIVE_RECEIVER_NAME]).toBeUndefined();
    expect(() => transport.send("{}")).toThrow(/not connected/);
  });
});
