// What the extension's code may assume of its environment: the webextension polyfill as `browser`, and
// WXT's generated globals (import.meta.env, public paths). Not WXT's whole .wxt/wxt.d.ts: that one
// brings Vite's build-time types and, through them, Node's, which would let extension code import
// `node:` modules and still compile.
/// <reference types="@wxt-dev/webextension-polyfill" />
/// <reference path="../.wxt/types/globals.d.ts" />
/// <reference path="../.wxt/types/paths.d.ts" />

