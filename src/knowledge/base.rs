//! The knowledge base: every entry of a folder, checked together.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::entry::Entry;
use super::error::{KnowledgeError, Problem};

/// Every entry of the knowledge folder, ordered by id.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
    fingerprint: String,
}

impl KnowledgeBase {
    /// Loads every `*.md` file directly in `dir` (a `README.md` excepted),
    /// filling `{{hospital.<key>}}` placeholders from `placeholders`
    /// (keyed `"hospital.main_phone"` and so on). The first bad file stops
    /// the load with an error naming it.
    pub fn load(
        dir: &Path,
        placeholders: &BTreeMap<String, String>,
        departments: &[&str],
    ) -> Result<Self, KnowledgeError> {
        let mut entries = Vec::new();
        for path in entry_files(dir)? {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| KnowledgeError::new(&path, Problem::Read(e)))?;
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");

            let entry = Entry::parse(stem, &text, placeholders, departments)
                .map_err(|problem| KnowledgeError::new(&path, problem))?;
            entries.push((path, entry));
        }

        Self::from_files(entries)
    }

    /// Builds the base from parsed entries and the files they came from,
    /// refusing a second entry with the same id.
    fn from_files(files: Vec<(PathBuf, Entry)>) -> Result<Self, KnowledgeError> {
        let mut first_file: HashMap<String, PathBuf> = HashMap::new();
        let mut entries = Vec::with_capacity(files.len());
        for (path, entry) in files {
            if let Some(first) = first_file.get(&entry.id) {
                let problem = Problem::DuplicateId {
                    id: entry.id,
                    first: first.clone(),
                };
                return Err(KnowledgeError::new(path, problem));
            }
            first_file.insert(entry.id.clone(), path);
            entries.push(entry);
        }
        entries.sort_by(|a, b| a.id.cmp(&b.id));

        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, entry)| (entry.id.clone(), i))
            .collect();
        let fingerprint = fingerprint(&entries);
        Ok(Self {
            entries,
            by_id,
            fingerprint,
        })
    }

    /// All entries, ordered by id.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// SHA-256 (hex) of every entry's rendered content: equal fingerprints
    /// mean patients would see the same knowledge.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// The `*.md` files directly in `dir`, sorted by name, `README.md` left out.
fn entry_files(dir: &Path) -> Result<Vec<PathBuf>, KnowledgeError> {
    let read_error = |e| KnowledgeError::new(dir, Problem::Read(e));

    let mut files = Vec::new();
    for item in std::fs::read_dir(dir).map_err(read_error)? {
        let item = item.map_err(read_error)?;
        let path = item.path();
        let is_markdown = path.extension().is_some_and(|ext| ext == "md");
        let is_readme = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.eq_ignore_ascii_case("readme.md"));
        if is_markdown && !is_readme && item.file_type().map_err(read_error)?.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn fingerprint(entries: &[Entry]) -> String {
    let mut hasher = Sha256::new();
    for entry in entries {
        for text in [&entry.id, &entry.title, &entry.department, &entry.updated] {
            hash_text(&mut hasher, text);
        }
        for list in [&entry.tags, &entry.questions] {
            hasher.update((list.len() as u64).to_le_bytes());
            list.iter().for_each(|text| hash_text(&mut hasher, text));
        }
        hash_text(&mut hasher, &entry.answer);
    }
    hex::encode(hasher.finalize())
}

/// Hashes `text` behind its length, so field boundaries stay unambiguous.
pub(super) fn hash_text(hasher: &mut Sha256, text: &str) {
    hasher.update((text.len() as u64).to_le_bytes());
    hasher.update(text.as_bytes());
}

#[cfg(test)]
mod tests;
