// Starts the playground. Trunk's own loader is an inline <script>, which the page's
// Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval') blocks, so Trunk.toml's
// `pattern_script` loads this file instead, passing the hashed names of the wasm-bindgen module
// and of the .wasm in the query string: <script type="module" src="/boot.js?js=…&wasm=…">.
const params = new URL(import.meta.url).searchParams;
const asset = (name) => {
  const file = params.get(name);
  // Plain file names of this origin only (Trunk writes `name-<hash>.js` / `…_bg.wasm`).
  if (!file || !/^[A-Za-z0-9_.-]+$/.test(file)) throw new Error(`boot.js: bad ${name} parameter`);
  return new URL(file, import.meta.url);
};
const bindings = await import(asset('js').href);
// The preload link in <head> carries an integrity hash; asking with the same one lets the
// browser use that preloaded response instead of fetching the .wasm a second time.
const wasmUrl = asset('wasm');
const preload = document.querySelector(`link[rel="preload"][href="${wasmUrl.pathname}"]`);
const response = fetch(wasmUrl, {
  integrity: preload?.integrity || undefined,
  credentials: 'same-origin',
  mode: 'cors',
});
await bindings.default({ module_or_path: response });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted'));
