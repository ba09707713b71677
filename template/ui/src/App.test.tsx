import { WavecraftProvider } from "@wavecraft/core";
import { createFakeEngine, makeParameter } from "@wavecraft/core/testing";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "./App";

describe("App", () => {
  it("shows the engine's name and version, its parameters and the audio backend", async () => {
    const engine = createFakeEngine([makeParameter({ id: "gain", name: "Gain", min: -60, max: 12 })]);
    render(
      <WavecraftProvider transport={engine.transport}>
        <App />
      </WavecraftProvider>,
    );
    expect((await screen.findByRole("heading", { level: 1 })).textContent).toBe("Test Gainv1.2.3");
    expect(await screen.findByRole("slider", { name: "Gain" })).toBeTruthy();
    expect((await screen.findByRole("contentinfo")).textContent).toBe(
      "Audio running: virtual device · 48000 Hz · 512 frames",
    );
    expect(screen.getByRole("status").textContent).toBe("Connected");
  });

  it("shows the filter's cutoff as a knob and other parameters as sliders", async () => {
    const engine = createFakeEngine([
      makeParameter({ id: "cutoff", name: "Cutoff", min: 20, max: 20_000, default: 1000, unit: "Hz" }),
      makeParameter({ id: "drive", name: "Drive", min: 0, max: 24, unit: "dB" }),
    ]);
    render(
      <WavecraftProvider transport={engine.transport}>
        <App />
      </WavecraftProvider>,
    );
    expect((await screen.findByRole("slider", { name: "Cutoff" })).getAttribute("aria-orientation")).toBe("vertical");
    expect(screen.getByRole("slider", { name: "Drive" }).getAttribute("aria-orientation")).toBe("horizontal");
  });
});
