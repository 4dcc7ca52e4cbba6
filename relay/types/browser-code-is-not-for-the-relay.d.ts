// The relay runs on a server that holds the Belvo keys: it must not depend on the extension's browser
// code. relay/tsconfig.json points the extension's packages here, and this file is deliberately not a
// module, so `import … from 'wxt/browser'` (or preact, idb, …) in the relay fails to compile with
// TS2306 "File … is not a module". Shared code belongs in @lupa/contract.
