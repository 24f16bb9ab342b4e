/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** the API's base URL when the SPA is served from another origin (see auth/session.ts) */
  readonly VITE_API_BASE?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
