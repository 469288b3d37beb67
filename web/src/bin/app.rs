//! The page. On the host this is a stub: the web app only exists as WebAssembly.

#[cfg(target_arch = "wasm32")]
fn main() {
    harscope_web::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("harscope-web runs in a browser: build it with `trunk build` (see README)");
}
