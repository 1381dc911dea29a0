//! CSV files through the `csv` crate: standard quoting, and text cells that a
//! spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`) neutralised
//! with a leading apostrophe. Numbers are never altered.

/// One CSV cell.
#[derive(Debug, Clone)]
pub enum Cell {
    /// A number, already formatted (empty for no value).
    Num(String),
    /// Text: names, ids, labels.
    Text(String),
}

impl Cell {
    /// A number in Rust's shortest round-trip form; empty when not finite.
    pub fn num(x: f64) -> Self {
        Cell::Num(if x.is_finite() {
            format!("{x}")
        } else {
            String::new()
        })
    }

    /// A number with fixed decimals; empty when not finite.
    pub fn fixed(x: f64, digits: usize) -> Self {
        Cell::Num(if x.is_finite() {
            format!("{x:.digits$}")
        } else {
            String::new()
        })
    }

    fn text(&self) -> String {
        match self {
            Cell::Num(s) => s.clone(),
            Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
            Cell::Text(s) => s.clone(),
        }
    }
}

/// A whole CSV file: header (text cells) and rows.
pub fn render(header: &[String], rows: &[Vec<Cell>]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let head: Vec<String> = header
        .iter()
        .map(|h| Cell::Text(h.clone()).text())
        .collect();
    // Writing to memory cannot fail; a record of the wrong length is a bug.
    w.write_record(&head).expect("in-memory CSV");
    for r in rows {
        w.write_record(r.iter().map(Cell::text))
            .expect("rows as long as the header");
    }
    String::from_utf8(w.into_inner().expect("in-memory CSV")).expect("UTF-8 cells")
}
