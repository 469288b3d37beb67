// Loads the app's WebAssembly. A file of its own (not an inline script) so that the page's
// Content-Security-Policy can forbid inline scripts altogether.
import init from './app.js';

init({ module_or_path: './app_bg.wasm' });
