/**
 * Types of the build-time variables Vite injects into `import.meta.env`.
 * Declared here (not via `vite/client`) so the core package needs no Vite.
 */
declare global {
  interface ImportMetaEnv {
    /** WebSocket URL of the dev server, set by `wavecraft start`. */
    readonly VITE_WAVECRAFT_WS_URL?: string;
  }

  interface ImportMeta {
    readonly env: ImportMetaEnv;
  }
}

export {};
