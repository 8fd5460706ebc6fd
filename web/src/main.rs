//! Entry point of the playground (built by Trunk from `index.html`).
fn main() {
    secrets_guard_web::start();
}
