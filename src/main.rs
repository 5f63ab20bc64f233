//! The `bnsl` binary: the command-line tool natively, the page entry in the browser.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    bnsl::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {
    bnsl::app::start();
}
