//! The characters names may use. Identifiers (region ids, agent names,
//! population names, policy labels, the scenario name) end up in folder names,
//! CSV headers, Markdown, HTML and SVG, so they are restricted to letters,
//! digits, '-', '_' and '.'; display texts (region and city names, timeline
//! labels, the description) may hold any printable character but no control
//! character, so no output format (an SVG chart's XML above all) ever carries
//! a NUL, an escape sequence or a line break it did not write itself.

use super::field::{err, R};
use super::raw::{RawRegion, RawScenario};
use crate::input::excerpt;

/// Longest identifier accepted.
pub const ID_MAX: usize = 64;
/// Longest display name accepted (region and city names).
pub const TEXT_MAX: usize = 100;
/// Longest timeline label accepted (a planned schedule's label names its
/// agent and region, two identifiers).
pub const LABEL_MAX: usize = 200;
/// Longest description accepted.
pub const DESCRIPTION_MAX: usize = 10_000;

/// An identifier: 1 to [`ID_MAX`] letters, digits, '-', '_' or '.'.
pub fn id(path: &str, what: &str, s: &str) -> R<()> {
    if s.is_empty() {
        return err(path, format!("{what} must not be empty"));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return err(
            path,
            format!(
                "{what} `{}` contains {}; use letters, digits, '-', '_' and '.' only",
                excerpt(s),
                describe(c)
            ),
        );
    }
    if s.len() > ID_MAX {
        return err(
            path,
            format!("{what} `{}` is longer than {ID_MAX} characters", excerpt(s)),
        );
    }
    Ok(())
}

/// The scenario name, which names the report folder: an identifier that is not
/// `.` or `..` and does not start with '.' (hidden folders, temporary names).
pub fn scenario_name(path: &str, s: &str) -> R<()> {
    id(path, "the name", s)?;
    if s.starts_with('.') {
        return err(
            path,
            format!(
                "the name `{}` must not start with '.' (it names the report folder under reports/)",
                excerpt(s)
            ),
        );
    }
    Ok(())
}

/// Free text: no control characters (line breaks and tabs only where allowed).
pub fn text(path: &str, s: &str, max: usize, breaks: bool) -> R<()> {
    let allowed = |c: char| breaks && matches!(c, '\n' | '\t');
    if let Some(c) = s.chars().find(|&c| c.is_control() && !allowed(c)) {
        return err(
            path,
            format!(
                "`{}` contains {}; text must not hold control characters",
                excerpt(s),
                describe(c)
            ),
        );
    }
    if s.chars().count() > max {
        return err(
            path,
            format!("is longer than {max} characters (`{}`)", excerpt(s)),
        );
    }
    Ok(())
}

fn describe(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("the character '{c}'")
    }
}

/// Every name the scenario defines, checked where it is defined.
pub fn check_all(raw: &RawScenario) -> R<()> {
    scenario_name("name", &raw.name)?;
    text("description", &raw.description, DESCRIPTION_MAX, true)?;
    for (i, r) in raw.regions.iter().enumerate() {
        match r {
            RawRegion::Id(s) => id(&format!("regions[{i}]"), "a region id", s)?,
            RawRegion::Def(d) => {
                id(&format!("regions[{i}].id"), "a region id", &d.id)?;
                if let Some(n) = &d.name {
                    text(&format!("regions[{i}].name"), n, TEXT_MAX, false)?;
                }
            }
        }
    }
    for (i, d) in raw.deployments.iter().enumerate() {
        id(
            &format!("deployments[{i}].agent"),
            "an agent name",
            &d.agent,
        )?;
    }
    for (i, p) in raw.populations.iter().enumerate() {
        id(
            &format!("populations[{i}].name"),
            "a population name",
            &p.name,
        )?;
        for (k, c) in p.cities.iter().flatten().enumerate() {
            let path = format!("populations[{i}].cities[{k}].name");
            text(&path, &c.name, TEXT_MAX, false)?;
        }
    }
    for (i, e) in raw.timeline.iter().enumerate() {
        if let Some(label) = e.label() {
            text(&format!("timeline[{i}].label"), label, LABEL_MAX, false)?;
        }
    }
    for label in raw.policies.keys() {
        id(&format!("policies.{label}"), "a policy label", label)?;
    }
    Ok(())
}
