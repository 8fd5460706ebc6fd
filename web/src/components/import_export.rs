//! Import and export: files chosen with the file picker or dropped onto the editor are appended
//! to the editor's text as documents; findings are exported as JSON and SARIF with the CLI's own
//! renderers ([`secrets_guard_core::render`]), downloaded through a `Blob` and an object URL
//! (nothing leaves the browser). The renderers run in the background worker ([`crate::worker`]):
//! SARIF embeds each rule's documentation, which only the worker's module holds.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use secrets_guard_core::render::{json, sarif};
use secrets_guard_core::Report;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::{Action, AppState};
use crate::worker::{self, Request, Response};
use secrets_guard_core::admission::PolicySettings;

/// Files larger than this are not imported (the editor and the evaluator are for manifests).
pub const MAX_IMPORT_BYTES: u64 = 8 * 1024 * 1024;

/// The file names the exports are saved as.
pub const JSON_FILE: &str = "secrets-guard.json";
pub const SARIF_FILE: &str = "secrets-guard.sarif";

/// The SARIF the CLI writes for this report (same renderer, same options).
pub fn sarif_export(report: &Report) -> String {
    sarif::render(
        report,
        &sarif::SarifOptions {
            information_uri: Some(env!("CARGO_PKG_REPOSITORY")),
        },
    )
}

/// The JSON the CLI writes for this report.
pub fn json_export(report: &Report) -> String {
    json::render(report)
}

/// `existing` with each file appended as its own document(s), after a `# <name>` comment that
/// says where it came from. An editor holding only whitespace is replaced.
pub fn append_documents(existing: &str, files: &[(String, String)]) -> String {
    let mut out = existing.trim_end().to_string();
    for (name, text) in files {
        let body = text.trim_start_matches('\u{feff}').trim_end();
        // A file's own leading `---` would make an empty document after ours.
        let body = body.strip_prefix("---\n").unwrap_or(body);
        let name: String = name
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if !out.is_empty() {
            out.push_str("\n---\n");
        }
        out.push_str(&format!("# {name}\n{body}"));
    }
    out.push('\n');
    out
}

/// Save `content` as a file named `name` (a download from a `Blob` URL).
pub fn download(name: &str, mime: &str, content: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "could not create the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "could not create a download URL".to_string())?;
    let document = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "could not create a link".to_string())?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_class_name("download-link");
    if let Some(body) = document.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    // The download has started reading the Blob; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// One file read: its name and text, or what went wrong.
type FileRead = Result<(String, String), String>;

/// Read `files` as text; `done` gets `(name, text)` in order, or the first problem.
fn read_files(
    files: Vec<web_sys::File>,
    readers: Rc<RefCell<Vec<FileReader>>>,
    done: Callback<Result<Vec<(String, String)>, String>>,
) {
    if files.is_empty() {
        return;
    }
    if let Some(big) = files.iter().find(|f| f.size() as u64 > MAX_IMPORT_BYTES) {
        done.emit(Err(format!(
            "{} is {} MiB; files over {} MiB are not imported",
            big.name(),
            (big.size() as u64) / (1024 * 1024),
            MAX_IMPORT_BYTES / (1024 * 1024)
        )));
        return;
    }
    let n = files.len();
    let results: Rc<RefCell<Vec<Option<FileRead>>>> = Rc::new(RefCell::new(vec![None; n]));
    for (i, file) in files.into_iter().enumerate() {
        let file = gloo::file::File::from(file);
        let name = file.name();
        let results = results.clone();
        let done = done.clone();
        let readers_after = readers.clone();
        let reader = gloo::file::callbacks::read_as_text(&file, move |r| {
            let entry = r
                .map(|text| (name.clone(), text))
                .map_err(|e| format!("{name}: {e}"));
            let finished = {
                let mut slots = results.borrow_mut();
                slots[i] = Some(entry);
                slots.iter().all(Option::is_some)
            };
            if finished {
                let all: Result<Vec<_>, String> =
                    results.borrow_mut().drain(..).flatten().collect();
                done.emit(all);
                // Every read is over: the readers can go. Deferred, as this callback is
                // running inside one of them.
                yew::platform::spawn_local(async move {
                    readers_after.borrow_mut().clear();
                });
            }
        });
        readers.borrow_mut().push(reader);
    }
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return vec![] };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Whether a drag carries files.
fn drags_files(e: &web_sys::DragEvent) -> bool {
    e.data_transfer().is_some_and(|dt| {
        let types = dt.types();
        (0..types.length()).any(|i| types.get(i).as_string().as_deref() == Some("Files"))
    })
}

/// The editor pane under an event's target, if the event happened inside it.
fn editor_pane_of(target: Option<web_sys::EventTarget>) -> Option<web_sys::Element> {
    target?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(".editor-pane")
        .ok()
        .flatten()
}

#[derive(Properties)]
pub struct ImportExportProps {
    /// The editor's text (imports are appended to it).
    pub text: AttrValue,
    pub evaluation: Rc<crate::engine::Evaluation>,
    /// The settings the evaluation used (the worker evaluates the same text with them).
    pub settings: PolicySettings,
    pub dispatch: UseReducerDispatcher<AppState>,
}

impl PartialEq for ImportExportProps {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            && Rc::ptr_eq(&self.evaluation, &other.evaluation)
            && self.settings == other.settings
            && self.dispatch == other.dispatch
    }
}

/// The import button (file picker), the export buttons, and drag and drop onto the editor.
#[function_component(ImportExport)]
pub fn import_export(props: &ImportExportProps) -> Html {
    let readers = use_mut_ref(Vec::<FileReader>::new);
    let status = use_state(|| None::<(bool, String)>);
    // The latest text, for imports that finish after it changed.
    let text = use_mut_ref(String::new);
    *text.borrow_mut() = props.text.to_string();

    let on_files = {
        let dispatch = props.dispatch.clone();
        let status = status.clone();
        let text = text.clone();
        Callback::from(move |r: Result<Vec<(String, String)>, String>| match r {
            Ok(files) => {
                let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
                status.set(Some((
                    true,
                    format!("Imported {} as new documents.", names.join(", ")),
                )));
                let next = append_documents(&text.borrow(), &files);
                dispatch.dispatch(Action::LoadText(next));
            }
            Err(e) => status.set(Some((false, format!("Not imported: {e}.")))),
        })
    };

    // Drag and drop onto the editor (listened for on the window, so that the editor's own
    // markup needs nothing, and a drop elsewhere does not open the file in the tab).
    {
        let on_files = on_files.clone();
        let readers = readers.clone();
        use_effect_with((), move |_| {
            use gloo::events::{EventListener, EventListenerOptions};
            let window = gloo::utils::window();
            let opts = EventListenerOptions::enable_prevent_default();
            let over = EventListener::new_with_options(&window, "dragover", opts, |e| {
                let Some(e) = e.dyn_ref::<web_sys::DragEvent>() else {
                    return;
                };
                // A drop zone of the page (the audit log's) claimed it by preventing the default.
                if !drags_files(e) || e.default_prevented() {
                    return;
                }
                e.prevent_default();
                let pane = editor_pane_of(e.target());
                if let Some(dt) = e.data_transfer() {
                    dt.set_drop_effect(if pane.is_some() { "copy" } else { "none" });
                }
                if let Some(p) = pane {
                    let _ = p.class_list().add_1("drop-target");
                }
            });
            let leave = EventListener::new(&window, "dragleave", |e| {
                if let Some(p) = editor_pane_of(e.target()) {
                    let _ = p.class_list().remove_1("drop-target");
                }
            });
            let on_drop = EventListener::new_with_options(&window, "drop", opts, move |e| {
                let Some(e) = e.dyn_ref::<web_sys::DragEvent>() else {
                    return;
                };
                // A drop zone of the page (the audit log's) claimed it by preventing the default.
                if !drags_files(e) || e.default_prevented() {
                    return;
                }
                e.prevent_default();
                if let Some(p) = editor_pane_of(e.target()) {
                    let _ = p.class_list().remove_1("drop-target");
                    let files = files_of(e.data_transfer().and_then(|dt| dt.files()));
                    read_files(files, readers.clone(), on_files.clone());
                }
            });
            // Dropping the listeners removes them.
            move || drop((over, leave, on_drop))
        });
    }

    let on_pick = {
        let on_files = on_files.clone();
        let readers = readers.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let files = files_of(input.files());
            read_files(files, readers.clone(), on_files.clone());
            // The same file can be chosen again.
            input.set_value("");
        })
    };
    let export = |kind: &'static str| {
        let evaluation = props.evaluation.clone();
        let settings = props.settings.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            let request = Request::Export {
                text: evaluation.source.to_string(),
                settings: Box::new(settings.clone()),
                format: kind.to_string(),
            };
            worker::request(request, move |response| {
                let r = match response {
                    Response::Export {
                        format,
                        body,
                        findings,
                    } => {
                        let (name, mime) = if format == "json" {
                            (JSON_FILE, "application/json")
                        } else {
                            (SARIF_FILE, "application/sarif+json")
                        };
                        download(name, mime, &body)
                            .map(|()| format!("Saved {name} ({findings} findings)."))
                    }
                    _ => Err("the background worker gave no export".to_string()),
                };
                status.set(Some(match r {
                    Ok(msg) => (true, msg),
                    Err(e) => (false, format!("Export failed: {e}.")),
                }));
            });
        })
    };
    let dismiss = {
        let status = status.clone();
        Callback::from(move |_: MouseEvent| status.set(None))
    };

    html! {
        <div class="import-export" role="group" aria-label="Import and export">
            <label class="button file-button" title="Import YAML or JSON files (or drop them onto the editor)">
                { "Import" }
                <input type="file" class="file-input" data-testid="file-input" multiple=true
                    accept=".yaml,.yml,.json,text/yaml,application/json,text/plain" onchange={on_pick} />
            </label>
            <button type="button" data-testid="export-json" title="Download the findings as JSON (as the CLI's --format json)"
                onclick={export("json")}>{ "JSON" }</button>
            <button type="button" data-testid="export-sarif" title="Download the findings as SARIF 2.1.0 (as the CLI's --format sarif)"
                onclick={export("sarif")}>{ "SARIF" }</button>
            if let Some((ok, msg)) = &*status {
                <div class={classes!("io-status", (!ok).then_some("error"))} data-testid="io-status"
                    role={if *ok { "status" } else { "alert" }}>
                    <span>{ msg.clone() }</span>
                    <button type="button" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use secrets_guard_core::admission::PolicySettings;

    use super::*;
    use crate::engine;

    #[test]
    fn imports_append_documents() {
        let files = vec![
            ("role.yaml".to_string(), "---\nkind: Role\n".to_string()),
            (
                "pod.json".to_string(),
                "\u{feff}{\"kind\": \"Pod\"}\n\n".to_string(),
            ),
        ];
        assert_eq!(
            append_documents("kind: A\n\n", &files),
            "kind: A\n---\n# role.yaml\nkind: Role\n---\n# pod.json\n{\"kind\": \"Pod\"}\n"
        );
        assert_eq!(
            append_documents("  \n", &files[..1]),
            "# role.yaml\nkind: Role\n"
        );
        // A name cannot break out of its comment line.
        assert_eq!(
            append_documents("", &[("a\nkind: X.yaml".into(), "b: 1".into())]),
            "# a kind: X.yaml\nb: 1\n"
        );
        // Imported documents are evaluated like typed ones.
        let seed = crate::examples::seed_document();
        let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: app}\nrules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [list]\n";
        let text = append_documents(&seed, &[("r.yaml".into(), role.into())]);
        let ev = engine::evaluate(&text, &PolicySettings::default());
        assert!(ev.report.errors.is_empty());
        assert_eq!(ev.report.summary.documents, 4);
    }

    #[test]
    fn exports_are_the_cli_renderers() {
        let ev = engine::evaluate(
            &crate::examples::seed_document(),
            &PolicySettings::default(),
        );
        let json: serde_json::Value = serde_json::from_str(&json_export(&ev.report)).unwrap();
        assert_eq!(json["tool"], "secrets-guard");
        assert_eq!(json["findings"][0]["file"], engine::EDITOR_FILE);
        assert_eq!(json_export(&ev.report), json::render(&ev.report));
        let sarif: serde_json::Value = serde_json::from_str(&sarif_export(&ev.report)).unwrap();
        assert_eq!(sarif["version"], "2.1.0");
        assert_eq!(
            sarif["runs"][0]["tool"]["driver"]["informationUri"],
            env!("CARGO_PKG_REPOSITORY")
        );
        assert_eq!(
            sarif["runs"][0]["results"].as_array().unwrap().len(),
            ev.report.findings.len()
        );
    }
}
