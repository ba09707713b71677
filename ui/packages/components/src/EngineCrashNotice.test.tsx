import { WavecraftProvider, type AudioStatus, type EngineCrash } from "@wavecraft/core";
import { createFakeEngine } from "@wavecraft/core/testing";
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { EngineCrashNotice } from "./EngineCrashNotice";

const playing: AudioStatus = {
  backend: "virtual",
  state: "running",
  sampleRate: 48000,
  blockSize: 256,
  deviceName: null,
  message: null,
};

const segfault: EngineCrash = {
  cause: "died of SIGSEGV (invalid memory access)",
  signal: "SIGSEGV",
  stage: "processing audio",
  engine: "My Plugin 0.1.0",
  build: 2,
  recovery: "restarted with build 1",
  lastOutput: null,
};

describe("EngineCrashNotice", () => {
  it("shows a crash as it arrives, says what plays now, and goes when the next build clears it", async () => {
    const engine = createFakeEngine([]);
    render(
      <WavecraftProvider transport={engine.transport}>
        <EngineCrashNotice />
      </WavecraftProvider>,
    );
    await vi.waitFor(() => expect(engine.server.callsTo("getAudioStatus")).toHaveLength(1));
    expect(screen.queryByRole("alert")).toBeNull();

    act(() => {
      engine.server.notify("audioStatusChanged", { ...playing, crash: segfault });
    });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(
      "The engine crashed (My Plugin 0.1.0, build 2) while processing audio: died of SIGSEGV (invalid memory access).",
    );
    expect(alert.textContent).toContain("Restarted with build 1.");

    act(() => {
      engine.server.notify("audioStatusChanged", playing);
    });
    await vi.waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
  });

  it("shows the host's last words, and a dismissed crash stays gone until another comes", async () => {
    const engine = createFakeEngine([]);
    const user = userEvent.setup();
    render(
      <WavecraftProvider transport={engine.transport}>
        <EngineCrashNotice />
      </WavecraftProvider>,
    );
    await vi.waitFor(() => expect(engine.server.callsTo("getAudioStatus")).toHaveLength(1));
    const overflow: EngineCrash = {
      ...segfault,
      cause: "died of SIGABRT (abort)",
      signal: "SIGABRT",
      stage: "starting the engine (Default, prepare, values)",
      lastOutput: "thread 'engine' has overflowed its stack",
    };
    act(() => {
      engine.server.notify("audioStatusChanged", { ...playing, crash: overflow });
    });
    expect((await screen.findByRole("alert")).textContent).toContain("has overflowed its stack");

    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).toBeNull();

    act(() => {
      engine.server.notify("audioStatusChanged", { ...playing, crash: { ...segfault, build: 3 } });
    });
    expect((await screen.findByRole("alert")).textContent).toContain("build 3");
  });
});
