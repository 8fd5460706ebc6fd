//! The suggested-fix button of a finding: shows the manifest with the rule's fix applied
//! ([`secrets_guard_core::apply_fixes`] on the text the finding was computed from), what changed,
//! and offers to copy it or to put it in the editor.

use std::rc::Rc;

use secrets_guard_core::{apply_fixes, Finding};
use yew::prelude::*;

use crate::engine::Evaluation;
use crate::state::{Action, AppState};

/// The fixed text for one finding, and the lines that changed (1-based, in the fixed text).
#[derive(Debug, Clone, PartialEq)]
pub struct FixedManifest {
    pub text: String,
    pub changed_lines: Vec<usize>,
    pub applied: bool,
}

/// Apply `finding`'s fix to `source`.
pub fn fixed_manifest(source: &str, finding: &Finding) -> FixedManifest {
    let fixed = apply_fixes(source, std::iter::once(finding));
    let old: Vec<&str> = source.lines().collect();
    let new: Vec<&str> = fixed.text.lines().collect();
    // The edits are small and local: the lines between the common head and tail changed.
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take_while(|(a, b)| a == b)
        .count()
        .min(old.len().min(new.len()) - head);
    let changed_lines = (head + 1..=new.len() - tail).collect();
    FixedManifest {
        applied: !fixed.applied.is_empty(),
        text: fixed.text,
        changed_lines,
    }
}

#[derive(Properties)]
pub struct FixButtonProps {
    pub finding: Finding,
    pub evaluation: Rc<Evaluation>,
    pub dispatch: UseReducerDispatcher<AppState>,
}

impl PartialEq for FixButtonProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.evaluation, &other.evaluation)
            && self.finding.fix == other.finding.fix
            && self.finding.fingerprint() == other.finding.fingerprint()
    }
}

/// "Suggested fix" on a finding that has one.
#[function_component(FixButton)]
pub fn fix_button(props: &FixButtonProps) -> Html {
    let open = use_state(|| false);
    let copied = use_state(|| false);
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with(*open, move |open| {
            if let Some(d) = dialog.cast::<web_sys::HtmlDialogElement>() {
                if *open && !d.open() {
                    let _ = d.show_modal();
                } else if !*open && d.open() {
                    d.close();
                }
            }
        });
    }
    let Some(fix) = &props.finding.fix else {
        return html! {};
    };
    let on_open = {
        let open = open.clone();
        let copied = copied.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            copied.set(false);
            open.set(true);
        })
    };
    let on_close = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            open.set(false);
        })
    };
    let on_dialog_close = {
        let open = open.clone();
        Callback::from(move |_: Event| open.set(false))
    };
    // Clicks inside the dialog must not reach the finding (which selects its span).
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());

    let body = (*open).then(|| {
        let fixed = fixed_manifest(&props.evaluation.source, &props.finding);
        let copy = {
            let text = fixed.text.clone();
            let copied = copied.clone();
            Callback::from(move |_: MouseEvent| {
                let copied = copied.clone();
                crate::components::share::copy_text_then(
                    &text,
                    Callback::from(move |ok| copied.set(ok)),
                );
            })
        };
        let apply = {
            let text = fixed.text.clone();
            let dispatch = props.dispatch.clone();
            let open = open.clone();
            Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(Action::LoadText(text.clone()));
                open.set(false);
            })
        };
        let lines = fixed.text.lines().enumerate().map(|(i, l)| {
            let changed = fixed.changed_lines.contains(&(i + 1));
            html! {
                <span class={classes!("line", changed.then_some("changed"))}
                    data-changed={changed.then_some("true")}>{ l.to_string() }</span>
            }
        });
        html! {
            <div class="modal-inner">
                <button type="button" class="modal-close" aria-label="Close" onclick={on_close.clone()}>{ "×" }</button>
                <h2 id={format!("fix-title-{}", props.finding.fingerprint())}>
                    { format!("Suggested fix for {}", props.finding.rule) }
                </h2>
                <p class="fix-description" data-testid="fix-description">{ fix.description.clone() }</p>
                if !fixed.applied {
                    <p class="fix-stale" role="alert">{ "The fix no longer matches the text (it changed since the evaluation)." }</p>
                }
                <pre class="code fixed-manifest" data-testid="fixed-manifest" tabindex="0">{ for lines }</pre>
                <div class="fix-actions">
                    <button type="button" class="primary" data-testid="copy-fixed" onclick={copy}>
                        { if *copied { "Copied" } else { "Copy fixed manifest" } }
                    </button>
                    <button type="button" data-testid="apply-fix" onclick={apply} disabled={!fixed.applied}>
                        { "Put it in the editor" }
                    </button>
                </div>
            </div>
        }
    });
    html! {
        <>
            <button type="button" class="fix-button" data-testid="fix-button" onclick={on_open}
                title={fix.description.clone()} aria-haspopup="dialog"
                aria-label={format!("Suggested fix for {}: {}", props.finding.rule, fix.description)}>
                { "Suggested fix" }
            </button>
            <dialog ref={dialog} class="fix-dialog modal" data-testid="fix-dialog"
                aria-labelledby={format!("fix-title-{}", props.finding.fingerprint())}
                onclose={on_dialog_close} onclick={stop}>
                { for body }
            </dialog>
        </>
    }
}

#[cfg(test)]
mod tests {
    use secrets_guard_core::admission::PolicySettings;

    use super::*;
    use crate::engine;

    #[test]
    fn fixed_manifest_marks_changed_lines() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ndata: {password: UzNjcjN0UGE1NQ==}\n---\napiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n";
        let ev = engine::evaluate(text, &PolicySettings::default());
        let obj008 = ev
            .report
            .findings
            .iter()
            .find(|f| f.rule == "OBJ-008")
            .unwrap();
        let fixed = fixed_manifest(&ev.source, obj008);
        assert!(fixed.applied);
        assert_eq!(fixed.changed_lines, [4]);
        assert_eq!(fixed.text.lines().nth(3), Some("immutable: true"));
        let aud007 = ev
            .report
            .findings
            .iter()
            .find(|f| f.rule == "AUD-007")
            .unwrap();
        let fixed = fixed_manifest(&ev.source, aud007);
        assert_eq!(fixed.changed_lines, [6]);
        assert_eq!(
            fixed.text.lines().nth(5),
            Some("apiVersion: audit.k8s.io/v1")
        );
        // The fixed text no longer has the finding.
        let after = engine::evaluate(&fixed.text, &PolicySettings::default());
        assert!(!after.report.findings.iter().any(|f| f.rule == "AUD-007"));
        // A stale text: nothing applied, nothing marked.
        let stale = fixed_manifest("kind: X\n", aud007);
        assert!(!stale.applied);
        assert!(stale.changed_lines.is_empty());
    }
}
