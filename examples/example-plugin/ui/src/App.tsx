/**
 * The plugin's UI: engine name and version, connection badge, every
 * parameter (the filter's cutoff and resonance as knobs, the rest as
 * sliders, switches and selects), the output meters, a notice when the
 * engine crashed and the build overlay.
 * Everything it shows comes from the @wavecraft/core hooks.
 *
 * This module exports components only, so an edit here is hot-replaced in
 * place (React Fast Refresh) with the page's state and its socket kept. A
 * helper exported beside a component makes Vite reload the whole page
 * instead: keep helpers in their own modules (like ./describeAudio); the
 * linter's react-refresh/only-export-components rule says when one slips in.
 */
import { BuildStatusOverlay, ConnectionStatus, EngineCrashNotice, Meter, ParameterPanel } from "@wavecraft/components";
import { useAudioStatus, useEngineInfo } from "@wavecraft/core";
import { describeAudio } from "./describeAudio";
import type { ParameterId } from "./generated/parameters";

/** Parameters shown as knobs; typed, so an id the engine does not declare is a type error. */
const KNOBS: readonly ParameterId[] = ["cutoff", "resonance"];

/** The whole UI. */
export function App() {
  const engine = useEngineInfo();
  const audio = useAudioStatus();
  return (
    <div className="app">
      <header className="app__header">
        <h1 className="app__title">
          {engine?.name ?? "Wavecraft Example"}
          {engine && <span className="app__version">v{engine.version}</span>}
        </h1>
        <ConnectionStatus />
      </header>
      <EngineCrashNotice />
      <main className="app__main">
        <ParameterPanel knobs={KNOBS} />
        <Meter />
      </main>
      {audio && (
        <footer className={`app__footer app__footer--${audio.state}`}>{describeAudio(audio)}</footer>
      )}
      <BuildStatusOverlay />
    </div>
  );
}
