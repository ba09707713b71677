import { WavecraftProvider } from "@wavecraft/core";
import { createFakeEngine } from "@wavecraft/core/testing";
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { BuildStatusOverlay } from "./BuildStatusOverlay";

describe("BuildStatusOverlay", () => {
  it("goes building → failed with file:line → dismissed → building → gone on success", async () => {
    const engine = createFakeEngine([]);
    const user = userEvent.setup();
    render(
      <WavecraftProvider transport={engine.transport}>
        <BuildStatusOverlay />
      </WavecraftProvider>,
    );
    await vi.waitFor(() => expect(engine.server.callsTo("getBuildStatus")).toHaveLength(1));
    expect(screen.queryByRole("status")).toBeNull();

    act(() => {
      engine.server.notify("buildStarted", { files: ["engine/src/lib.rs"] });
    });
    expect((await screen.findByRole("status")).textContent).toMatch(/Building….*engine\/src\/lib\.rs/);
    act(() => {
      engine.server.notify("buildProgress", { line: "Compiling my-plugin v0.1.0" });
    });
    expect(await screen.findByText("Compiling my-plugin v0.1.0")).toBeTruthy();

    act(() => {
      engine.server.notify("buildFinished", {
        ok: false,
        durationMs: 812,
        diagnostics: [
          {
            level: "error",
            message: "mismatched types",
            file: "engine/src/lib.rs",
            line: 42,
            column: 17,
            rendered: null,
          },
          { level: "warning", message: "unused variable `x`", file: null, line: null, column: null, rendered: null },
        ],
      });
    });
    const dialog = await screen.findByRole("alertdialog", { name: "Build failed" });
    expect(screen.queryByRole("status")).toBeNull();
    expect(dialog.textContent).toContain("engine/src/lib.rs:42:17");
    expect(dialog.textContent).toContain("mismatched types");
    expect(dialog.textContent).toContain("unused variable `x`");

    await user.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();

    act(() => {
      engine.server.notify("buildStarted", { files: ["engine/src/lib.rs"] });
    });
    await screen.findByRole("status");
    act(() => {
      engine.server.notify("buildFinished", { ok: true, durationMs: 640, diagnostics: [] });
    });
    await vi.waitFor(() => expect(screen.queryByRole("status")).toBeNull());
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("shows a failure that was already there when the UI connected", async () => {
    const engine = createFakeEngine([]);
    engine.buildStatus = {
      state: "failed",
      files: [],
      durationMs: 300,
      diagnostics: [
        {
          level: "error",
          message: "cannot find value `gian`",
          file: "src/lib.rs",
          line: 7,
          column: null,
          rendered: "error[E0425]: cannot find value `gian` in this scope\n --> src/lib.rs:7:9",
        },
      ],
    };
    render(
      <WavecraftProvider transport={engine.transport}>
        <BuildStatusOverlay />
      </WavecraftProvider>,
    );
    const dialog = await screen.findByRole("alertdialog", { name: "Build failed" });
    expect(dialog.textContent).toContain("src/lib.rs:7");
    expect(dialog.textContent).toContain("error[E0425]");
  });

  it("announces a build once, not every progress line, while still showing the line", async () => {
    const engine = createFakeEngine([]);
    render(
      <WavecraftProvider transport={engine.transport}>
        <BuildStatusOverlay />
      </WavecraftProvider>,
    );
    await vi.waitFor(() => expect(engine.server.callsTo("getBuildStatus")).toHaveLength(1));
    act(() => {
      engine.server.notify("buildStarted", { files: ["src/lib.rs"] });
    });
    const live = await screen.findByRole("status");
    expect(live.textContent).toBe("Building… src/lib.rs");

    const changes: MutationRecord[] = [];
    const observer = new MutationObserver((records) => changes.push(...records));
    observer.observe(live, { subtree: true, childList: true, characterData: true });
    for (const crate of ["serde", "wavecraft-dsp", "my-plugin"]) {
      act(() => {
        engine.server.notify("buildProgress", { line: `Compiling ${crate} v1.0.0` });
      });
      expect(await screen.findByText(`Compiling ${crate} v1.0.0`)).toBeTruthy();
    }
    observer.disconnect();
    expect(changes).toEqual([]);
    expect(screen.getByRole("status")).toBe(live);
  });

  it("takes focus when the failure opens, closes on Escape and gives focus back", async () => {
    const engine = createFakeEngine([]);
    const user = userEvent.setup();
    render(
      <WavecraftProvider transport={engine.transport}>
        <button type="button">Play</button>
        <BuildStatusOverlay />
      </WavecraftProvider>,
    );
    await vi.waitFor(() => expect(engine.server.callsTo("getBuildStatus")).toHaveLength(1));
    const play = screen.getByRole("button", { name: "Play" });
    play.focus();

    act(() => {
      engine.server.notify("buildFinished", {
        ok: false,
        durationMs: 90,
        diagnostics: [{ level: "error", message: "expected `;`", file: "src/lib.rs", line: 3, column: 1, rendered: null }],
      });
    });
    const dialog = await screen.findByRole("alertdialog", { name: "Build failed" });
    expect(document.activeElement).toBe(dialog);
    expect(dialog.getAttribute("aria-describedby")).toBeTruthy();

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(document.activeElement).toBe(play);
  });
});
