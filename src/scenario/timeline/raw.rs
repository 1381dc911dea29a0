//! The timeline's file form as serde sees it: one event per object, tagged by
//! `type`, unknown fields refused. Kept beside the timeline's rules rather than
//! in `scenario/raw/` because each event type is read and checked together.

use schemars::JsonSchema;
use serde::de::Deserializer;
use serde::Deserialize;

use crate::model::timeline::EventKind;
use crate::scenario::units::Secs;

/// One timeline event, `{"type": ..., "at": ..., fields}` (read by `tagged`);
/// `at` and `label` are common to all types.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(remote = "Self", rename_all = "snake_case", deny_unknown_fields)]
#[schemars(tag = "type")]
pub enum RawEvent {
    Deploy {
        at: Secs,
        label: Option<String>,
        agent: String,
        region: String,
        capacity: u32,
        ready_after: Option<Secs>,
    },
    Delete {
        at: Secs,
        label: Option<String>,
        agent: Option<String>,
        region: String,
        drain: Option<Secs>,
    },
    Migrate {
        at: Secs,
        label: Option<String>,
        agent: Option<String>,
        from: String,
        to: String,
        capacity: Option<u32>,
        ready_after: Option<Secs>,
        overlap: Option<Secs>,
        drain: Option<Secs>,
    },
    Outage {
        at: Secs,
        label: Option<String>,
        agent: Option<String>,
        region: String,
        duration: Secs,
        #[serde(default)]
        sessions: RawFailover,
        detect: Option<Secs>,
    },
    Capacity {
        at: Secs,
        label: Option<String>,
        agent: Option<String>,
        region: String,
        capacity: Option<u32>,
        hourly: Option<Vec<u32>>,
        utc_offset_h: Option<f64>,
    },
    Rate {
        at: Secs,
        label: Option<String>,
        population: Option<String>,
        factor: f64,
        duration: Secs,
    },
}

impl<'de> Deserialize<'de> for RawEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let types = EventKind::ALL.map(EventKind::name);
        crate::scenario::tagged::tagged(d, "a timeline event", &types, |v| RawEvent::deserialize(v))
    }
}

impl RawEvent {
    /// The event's type (the tag serde read it by).
    #[cfg(test)]
    fn kind(&self) -> EventKind {
        match self {
            Self::Deploy { .. } => EventKind::Deploy,
            Self::Delete { .. } => EventKind::Delete,
            Self::Migrate { .. } => EventKind::Migrate,
            Self::Outage { .. } => EventKind::Outage,
            Self::Capacity { .. } => EventKind::Capacity,
            Self::Rate { .. } => EventKind::Rate,
        }
    }

    /// The event's `label`, if given.
    pub fn label(&self) -> Option<&str> {
        match self {
            Self::Deploy { label, .. }
            | Self::Delete { label, .. }
            | Self::Migrate { label, .. }
            | Self::Outage { label, .. }
            | Self::Capacity { label, .. }
            | Self::Rate { label, .. } => label.as_deref(),
        }
    }
}

/// What an outage does to running sessions.
#[derive(Debug, Default, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawFailover {
    #[default]
    Redispatch,
    Lose,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spelling of every type in `EventKind` is the tag serde reads it
    /// by: a scenario naming a type gets that type, and no other is accepted.
    #[test]
    fn every_event_kind_is_read_by_its_name() {
        for kind in EventKind::ALL {
            let fields = match kind {
                EventKind::Deploy => r#""agent": "a", "region": "x", "capacity": 1"#,
                EventKind::Delete | EventKind::Capacity => r#""region": "x""#,
                EventKind::Migrate => r#""from": "x", "to": "y""#,
                EventKind::Outage => r#""region": "x", "duration": "1h""#,
                EventKind::Rate => r#""factor": 2, "duration": "1h""#,
            };
            let text = format!(r#"{{"type": "{}", "at": "1h", {fields}}}"#, kind.name());
            let e: RawEvent = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(e.kind(), kind);
        }
        assert!(serde_json::from_str::<RawEvent>(r#"{"type": "resize", "at": 0}"#).is_err());
    }
}
