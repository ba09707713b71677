import { WavecraftProvider } from "@wavecraft/core";
import { createFakeEngine } from "@wavecraft/core/testing";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { Meter } from "./Meter";

function renderMeter() {
  const engine = createFakeEngine([]);
  render(
    <WavecraftProvider transport={engine.transport}>
      <Meter />
    </WavecraftProvider>,
  );
  return engine;
}

describe("Meter", () => {
  it("shows each pushed frame's peak and RMS in dBFS", async () => {
    const engine = renderMeter();
    await vi.waitFor(() => expect(engine.server.connected).toBe(true));
    expect(screen.getByText("No signal")).toBeTruthy();

    act(() => {
      engine.server.notify("meterUpdate", { channels: [{ peak: 0.5, rms: 0.25 }, { peak: 0, rms: 0 }] });
    });
    const left = await screen.findByRole("group", { name: "Channel 1" });
    expect(left.textContent).toContain("-6.0 dB");
    expect(left.textContent).toContain("-12.0 dB");
    expect(screen.getByRole("group", { name: "Channel 2" }).textContent).toContain("-∞ dB");

    act(() => {
      engine.server.notify("meterUpdate", { channels: [{ peak: 0.1, rms: 0.05 }, { peak: 0, rms: 0 }] });
    });
    await vi.waitFor(() => expect(left.textContent).toContain("-20.0 dB"));
    expect(left.textContent).not.toContain("-6.0 dB");
  });

  it("holds the clip indicator after the peak falls, until it is clicked", async () => {
    const engine = renderMeter();
    const user = userEvent.setup();
    await vi.waitFor(() => expect(engine.server.connected).toBe(true));
    act(() => {
      engine.server.notify("meterUpdate", { channels: [{ peak: 1.2, rms: 0.7 }] });
    });
    const channel = await screen.findByRole("group", { name: "Channel 1" });
    act(() => {
      engine.server.notify("meterUpdate", { channels: [{ peak: 0.1, rms: 0.05 }] });
    });
    await vi.waitFor(() => expect(channel.textContent).toContain("-20.0 dB"));
    const clip = within(channel).getByRole("button", { name: /clipped, click to reset/ });
    expect(clip.getAttribute("aria-pressed")).toBe("true");

    await user.click(clip);
    expect(within(channel).getByRole("button", { name: /not clipped/ }).getAttribute("aria-pressed")).toBe("false");
  });
});
