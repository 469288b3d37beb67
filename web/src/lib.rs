//! harscope's web app: a thin shell over `harscope-core`. The page (`app`) shows reports; a
//! Web Worker (`worker`) reads the dropped file and runs the same parser and rules as the CLI,
//! so the page stays responsive and nothing leaves the browser.

pub mod protocol;

#[cfg(all(target_arch = "wasm32", feature = "app"))]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod worker;
