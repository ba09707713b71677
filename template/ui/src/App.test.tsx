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
});
