/**
 * The plugin's UI: engine name and version, connection badge, every
 * parameter, the output meters and the build overlay. Everything it shows
 * comes from the @wavecraft/core hooks.
 */
import { BuildStatusOverlay, ConnectionStatus, Meter, ParameterPanel } from "@wavecraft/components";
import { useAudioStatus, useEngineInfo, type AudioStatus } from "@wavecraft/core";

/** One line describing the audio backend, or why there is no audio. */
export function describeAudio(status: AudioStatus): string {
  const note = status.message ? ` — ${status.message}` : "";
  if (status.backend === "off") return `Audio off${note}`;
  const where = status.backend === "device" ? (status.deviceName ?? "audio device") : "virtual device";
  const format =
    status.sampleRate !== null && status.blockSize !== null
      ? ` · ${status.sampleRate} Hz · ${status.blockSize} frames`
      : "";
  return `Audio ${status.state}: ${where}${format}${note}`;
}

/** The whole UI. */
export function App() {
  const engine = useEngineInfo();
  const audio = useAudioStatus();
  return (
    <div className="app">
      <header className="app__header">
        <h1 className="app__title">
          {engine?.name ?? "{{plugin_name}}"}
          {engine && <span className="app__version">v{engine.version}</span>}
        </h1>
        <ConnectionStatus />
      </header>
      <main className="app__main">
        <ParameterPanel />
        <Meter />
      </main>
      {audio && (
        <footer className={`app__footer app__footer--${audio.state}`}>{describeAudio(audio)}</footer>
      )}
      <BuildStatusOverlay />
    </div>
  );
}
