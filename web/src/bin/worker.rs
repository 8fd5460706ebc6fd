//! Entry point of the playground's background worker (`secrets-guard-worker`, built by Trunk
//! with `data-type="worker"` and the `worker` feature; see `src/worker.rs`).
fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use gloo::worker::Registrable;
        secrets_guard_web::worker::PlaygroundWorker::registrar()
            .encoding::<secrets_guard_web::worker::JsCodec>()
            .register();
    }
}
