// WXT's runtime helpers (defineBackground, createIframeUi, …) declare their options with Vite's
// build-time types, and Vite's declarations load Node's. The extension never uses those Vite types,
// so for the extension's own type check `vite` resolves here (tsconfig.json `paths`) and Node's types
// stay out. Build and test configuration is checked against the real Vite (tsconfig.node.json).
export type UserConfig = Record<string, unknown>;
export type InlineConfig = Record<string, unknown>;
export type ConfigEnv = Record<string, unknown>;
export type Plugin = Record<string, unknown>;
export type ViteDevServer = Record<string, unknown>;
export type Manifest = Record<string, unknown>;
