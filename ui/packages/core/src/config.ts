/**
 * Where the UI's link goes. Inside a plugin window the webview injects
 * `window.ipc`, and the UI talks to the plugin over it (NativeTransport);
 * everywhere else it talks to the dev server's WebSocket. `wavecraft start`
 * passes the WebSocket URL to Vite as VITE_WAVECRAFT_WS_URL; without it the
 * SDK's default port is used.
 */
import { NativeTransport } from "./transports/native";
import type { Transport } from "./transports/transport";
import { WebSocketTransport } from "./transports/websocket";
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

/** True inside a plugin window: the webview injected its message channel (`window.ipc.postMessage`). */
export function isInPluginWindow(scope: Record<string, unknown> = globalThis): boolean {
  const ipc = scope.ipc as { postMessage?: unknown } | undefined;
  return typeof ipc?.postMessage === "function";
}

/** The transport used when the author gives none: the plugin window's channel there, else the dev server's WebSocket. */
export function defaultTransport(scope: Record<string, unknown> = globalThis): Transport {
  return isInPluginWindow(scope) ? new NativeTransport(scope) : new WebSocketTransport(resolveWebSocketUrl());
}
