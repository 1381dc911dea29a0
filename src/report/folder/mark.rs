//! The provenance marker of a report folder: which command wrote the set,
//! from which scenario file and content, with which policy, and (for a set
//! written before its command finished) how much of it is there. A later run
//! reads it to say whose reports it replaces and whether they are whole.

use std::path::Path;

/// Who wrote a report folder: the command, the scenario file and its content
/// hash (the folder's marker; the outputs carry the full `Provenance`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderMark {
    /// `run`, `compare` or `sweep`.
    pub command: String,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    /// FNV-1a 64-bit hash of the scenario file's bytes, hex.
    pub scenario_hash: String,
    /// The policy label (`--policy`), if any.
    pub policy: Option<String>,
    /// For a set written before its command finished: (units done, units
    /// planned), e.g. a sweep's finished points. None for a complete set.
    pub incomplete: Option<(usize, usize)>,
}

impl FolderMark {
    /// FolderMark of `bytes` read from `file` by `command`. The file is recorded
    /// as given (a relative path stays relative, so a committed report folder
    /// names no one's home directory).
    pub fn new(command: &str, file: &Path, bytes: &[u8], policy: Option<&str>) -> Self {
        Self {
            command: command.into(),
            scenario_file: file.display().to_string(),
            scenario_hash: format!("{:016x}", fnv1a(bytes)),
            policy: policy.map(str::to_string),
            incomplete: None,
        }
    }

    /// The marker of the report folder `dir`, when it has a readable one.
    pub fn of_folder(dir: &Path) -> Option<Self> {
        let bytes = crate::input::read_limited(&dir.join(super::MARKER), 1 << 20).ok()?;
        Self::from_json(&String::from_utf8(bytes).ok()?)
    }

    /// The same mark for a set of `done` of `planned` units.
    pub fn incomplete(&self, done: usize, planned: usize) -> Self {
        Self {
            incomplete: (done < planned).then_some((done, planned)),
            ..self.clone()
        }
    }

    /// Same command, scenario file and content, and policy (complete or not).
    pub(super) fn same_study(&self, other: &Self) -> bool {
        Self {
            incomplete: None,
            ..self.clone()
        } == Self {
            incomplete: None,
            ..other.clone()
        }
    }

    pub(super) fn to_json(&self) -> String {
        let mut v = serde_json::json!({
            "written_by": "regionsim",
            "command": self.command,
            "scenario_file": self.scenario_file,
            "scenario_fnv1a64": self.scenario_hash,
            "policy": self.policy,
        });
        // Only an incomplete set says so: complete sets keep their marker as it was.
        if let Some((done, planned)) = self.incomplete {
            v["complete"] = false.into();
            v["done"] = done.into();
            v["planned"] = planned.into();
        }
        serde_json::to_string_pretty(&v).expect("a Value always serialises") + "\n"
    }

    pub(super) fn from_json(text: &str) -> Option<Self> {
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        let count = |k: &str| v[k].as_u64().map(|n| n as usize);
        let incomplete = match v["complete"].as_bool() {
            Some(false) => Some((count("done")?, count("planned")?)),
            _ => None,
        };
        Some(Self {
            command: v["command"].as_str()?.into(),
            scenario_file: v["scenario_file"].as_str()?.into(),
            scenario_hash: v["scenario_fnv1a64"].as_str()?.into(),
            policy: v["policy"].as_str().map(str::to_string),
            incomplete,
        })
    }

    pub(super) fn describe(&self) -> String {
        let mut s = format!("`{}` reports of {}", self.command, self.scenario_file);
        if let Some(p) = &self.policy {
            s.push_str(&format!(" with policy `{p}`"));
        }
        if let Some((done, planned)) = self.incomplete {
            s.push_str(&format!(" (incomplete: {done} of {planned})"));
        }
        s
    }
}

/// FNV-1a 64-bit hash: a short, stable fingerprint of the scenario bytes.
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
