//! The worker that reads and analyzes captures. A stub on the host.

#[cfg(target_arch = "wasm32")]
fn main() {
    harscope_web::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("harscope-web's worker runs in a browser: build it with `trunk build` (see README)");
}
