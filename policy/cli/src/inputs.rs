//! Which inputs to read: files, directories (recursive) and stdin.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use secrets_guard_core::InputError;

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

/// The name stdin is shown under.
pub const STDIN_NAME: &str = "<stdin>";

/// Extensions of the files read from directories.
pub const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

impl Input {
    /// How the input is named in findings: the path as given (forward slashes, no leading `./`).
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => STDIN_NAME.to_string(),
            Input::File(p) => display_path(p),
        }
    }
}

pub fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.trim_start_matches('/');
    }
    if s.is_empty() {
        ".".to_string()
    } else {
        s.to_string()
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn has_manifest_extension(p: &Path) -> bool {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

/// Expand the command-line paths into inputs, in a deterministic order: each argument in turn;
/// a directory's `.yaml`/`.yml`/`.json` files recursively, sorted by name, skipping hidden files
/// and directories (`.git`) and symlinked directories. Files named explicitly are read whatever
/// their extension. Paths that cannot be read become errors.
pub fn collect(args: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = vec![];
    let mut errors = vec![];
    let mut seen = HashSet::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            if seen.insert(STDIN_NAME.to_string()) {
                inputs.push(Input::Stdin);
            }
            continue;
        }
        match std::fs::metadata(arg) {
            Ok(m) if m.is_dir() => walk(arg, &mut inputs, &mut errors, &mut seen, 0),
            Ok(_) => {
                if seen.insert(display_path(arg)) {
                    inputs.push(Input::File(arg.clone()));
                }
            }
            Err(e) => errors.push(io_error(arg, &e)),
        }
    }
    (inputs, errors)
}

/// Directory depth bound (symlinked directories are not followed, so this only guards against
/// absurdly deep trees).
const MAX_DIR_DEPTH: usize = 256;

fn walk(
    dir: &Path,
    inputs: &mut Vec<Input>,
    errors: &mut Vec<InputError>,
    seen: &mut HashSet<String>,
    depth: usize,
) {
    if depth > MAX_DIR_DEPTH {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(io_error(dir, &e));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if is_hidden(&name) {
            continue;
        }
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, inputs, errors, seen, depth + 1);
        } else if has_manifest_extension(&path) {
            // A symlink to a file is read; a symlink to a directory is not followed.
            let is_file = ft.is_file() || (ft.is_symlink() && path.is_file());
            if is_file && seen.insert(display_path(&path)) {
                inputs.push(Input::File(path));
            }
        }
    }
}

pub fn io_error(path: &Path, e: &std::io::Error) -> InputError {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    InputError {
        file: display_path(path),
        line: 0,
        column: 0,
        message: format!("cannot read {}: {reason}", display_path(path)),
    }
}
