//! `use_debounce`: run a callback once calls have stopped for a while (the editor's live
//! evaluation runs 150 ms after the last keystroke, not on every one).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// Returns a trigger: each call (re)starts a `millis` timer, and `callback` runs when one
/// expires, so a burst of calls runs it once, `millis` after the last. The latest `callback`
/// given to the hook is the one that runs; a pending run is dropped when the component goes.
/// The trigger keeps its identity across renders (for `millis` unchanged).
#[hook]
pub fn use_debounce(millis: u32, callback: Callback<()>) -> Callback<()> {
    let latest = use_mut_ref(|| callback.clone());
    *latest.borrow_mut() = callback;
    let pending: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    {
        let pending = pending.clone();
        use_effect_with((), move |_| move || drop(pending.borrow_mut().take()));
    }
    use_callback(millis, move |(), millis| {
        let latest = latest.clone();
        let timeout = Timeout::new(*millis, move || {
            let callback = latest.borrow().clone();
            callback.emit(());
        });
        // Replacing the pending timeout drops it, which cancels it.
        *pending.borrow_mut() = Some(timeout);
    })
}
