/**
 * Where the dev server's WebSocket lives. `wavecraft start` passes the URL to
 * Vite as VITE_WAVECRAFT_WS_URL; without it the SDK's default port is used.
 */
import type {} from "./viteEnv";

/** The URL used when nothing else is configured. */
export const DEFAULT_WS_URL = "ws://127.0.0.1:9000/ws";

/** Where `wavecraft start` serves the UI by default (`--ui-port` changes the port); its dev server accepts this origin. */
export const DEFAULT_DEV_UI_URL = "http://127.0.0.1:5173";

/** Picks the WebSocket URL: the configured one when non-empty, else the default. */
export function resolveWebSocketUrl(configured: string | undefined = readConfiguredUrl()): string {
  const trimmed = configured?.trim();
  return trimmed ? trimmed : DEFAULT_WS_URL;
}

function readConfiguredUrl(): string | undefined {
  // Outside Vite (e.g. a plain bundler) `import.meta.env` does not exist.
  return typeof import.meta.env === "object" ? import.meta.env.VITE_WAVECRAFT_WS_URL : undefined;
}
