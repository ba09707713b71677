/**
 * Where the dev server's WebSocket lives. `wavecraft start` passes the URL to
 * Vite as VITE_WAVECRAFT_WS_URL; without it the SDK's default port is used.
 */
import type {} from "./viteEnv";

/** The URL used when nothing else is configured. */
export const DEFAULT_WS_URL = "ws://127.0.0.1:9000/ws";

/** Picks the WebSocket URL: the configured one when non-empty, else the default. */
export function resolveWebSocketUrl(configured: string | undefined = readConfiguredUrl()): string {
  const trimmed = configured?.trim();
  return trimmed ? trimmed : DEFAULT_WS_URL;
}

function readConfiguredUrl(): string | undefined {
  // Outside Vite (e.g. a plain bundler) `import.meta.env` does not exist.
  return typeof import.meta.env === "object" ? import.meta.env.VITE_WAVECRAFT_WS_URL : undefined;
}
