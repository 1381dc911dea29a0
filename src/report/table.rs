//! A format-neutral document: headings, paragraphs and tables built once and
//! rendered to Markdown (`summary.md`, `compare.md`) and HTML (`report.html`).
//! Each renderer escapes text for its own format, so a population named
//! `a|b <i>` cannot break a table or inject markup.

use std::fmt::Write;

/// One block of a document.
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading (level 1 = page title).
    Heading(u8, String),
    /// A paragraph of plain text.
    Paragraph(String),
    /// A bullet list of plain text items.
    List(Vec<String>),
    /// A table.
    Table(Table),
}

/// A table: a header row and rows of plain-text cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column headings.
    pub head: Vec<String>,
    /// Rows, each as long as `head`.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings.
    pub fn new<S: Into<String>>(head: impl IntoIterator<Item = S>) -> Self {
        Self {
            head: head.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Append a row.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }
}

/// A sequence of blocks.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// The blocks, in order.
    pub blocks: Vec<Block>,
}

impl Doc {
    /// Append a heading.
    pub fn heading(&mut self, level: u8, text: impl Into<String>) {
        self.blocks.push(Block::Heading(level, text.into()));
    }

    /// Append a paragraph.
    pub fn para(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }

    /// Append a bullet list.
    pub fn list(&mut self, items: Vec<String>) {
        self.blocks.push(Block::List(items));
    }

    /// Append a table.
    pub fn table(&mut self, t: Table) {
        self.blocks.push(Block::Table(t));
    }
}

/// Text safe in Markdown: no table breaks, no raw HTML, no line breaks.
/// Inside a code span Markdown shows every character as is, a backslash
/// included, so only a table's `|` is escaped there. Code spans are found as
/// CommonMark finds them: a run of backticks opens one that closes at the
/// next run of the same length; a run without one is plain text.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('`') {
        escape_text(&mut out, &rest[..at], true);
        let fence = &rest[at..at + backticks(&rest[at..])];
        out.push_str(fence);
        rest = &rest[at + fence.len()..];
        if let Some(end) = closing(rest, fence.len()) {
            escape_text(&mut out, &rest[..end], false);
            out.push_str(fence);
            rest = &rest[end + fence.len()..];
        }
    }
    escape_text(&mut out, rest, true);
    out
}

/// The length of the run of backticks `s` starts with.
fn backticks(s: &str) -> usize {
    s.len() - s.trim_start_matches('`').len()
}

/// Where in `s` the first run of exactly `n` backticks starts.
fn closing(s: &str, n: usize) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = s[from..].find('`') {
        let (at, run) = (from + k, backticks(&s[from + k..]));
        if run == n {
            return Some(at);
        }
        from = at + run;
    }
    None
}

/// `s` with line breaks as spaces and a table's `|` escaped; outside code
/// (`plain`), also what Markdown would read as an escape or as HTML.
fn escape_text(out: &mut String, s: &str, plain: bool) {
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' => out.push_str("\\|"),
            '\\' | '<' | '>' | '&' if plain => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
}

/// Text safe in HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn md_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for c in cells {
        let _ = write!(out, " {} |", md_escape(c));
    }
    out.push('\n');
}

/// The document as Markdown.
pub fn to_markdown(doc: &Doc) -> String {
    let mut out = String::new();
    for (i, b) in doc.blocks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match b {
            Block::Heading(level, t) => {
                let _ = writeln!(out, "{} {}", "#".repeat(*level as usize), md_escape(t));
            }
            Block::Paragraph(t) => {
                let _ = writeln!(out, "{}", md_escape(t));
            }
            Block::List(items) => {
                for t in items {
                    let _ = writeln!(out, "- {}", md_escape(t));
                }
            }
            Block::Table(t) => {
                md_row(&mut out, &t.head);
                out.push('|');
                out.push_str(&" --- |".repeat(t.head.len()));
                out.push('\n');
                for r in &t.rows {
                    md_row(&mut out, r);
                }
            }
        }
    }
    out
}

/// The document as an HTML fragment; `h1` headings are left to the page.
pub fn to_html(doc: &Doc) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        match b {
            Block::Heading(1, _) => {}
            Block::Heading(level, t) => {
                let _ = writeln!(out, "<h{level}>{}</h{level}>", html_escape(t));
            }
            Block::Paragraph(t) => {
                let _ = writeln!(out, "<p>{}</p>", html_escape(t));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for t in items {
                    let _ = writeln!(out, "<li>{}</li>", html_escape(t));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => html_table(&mut out, t),
        }
    }
    out
}

/// A table in a box that scrolls sideways when the table is wider than the
/// page, so a wide table never widens the page itself.
fn html_table(out: &mut String, t: &Table) {
    out.push_str("<div class=\"table\"><table>\n<tr>");
    for h in &t.head {
        let _ = write!(out, "<th>{}</th>", html_escape(h));
    }
    out.push_str("</tr>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for c in r {
            let _ = write!(out, "<td>{}</td>", html_escape(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table></div>\n");
}

#[cfg(test)]
mod tests {
    use super::md_escape;

    #[test]
    fn code_spans_keep_their_text_and_the_rest_is_escaped() {
        assert_eq!(md_escape("a <b> | c\\d"), "a \\<b\\> \\| c\\\\d");
        // In a code span a backslash is shown as is: no second one.
        assert_eq!(
            md_escape("unknown country `\\u{1b}[31m<X>`: a code"),
            "unknown country `\\u{1b}[31m<X>`: a code"
        );
        assert_eq!(md_escape("`a|b`"), "`a\\|b`");
        // An unpaired backtick opens nothing.
        assert_eq!(md_escape("x` <y>"), "x` \\<y\\>");
        assert_eq!(md_escape("`a` `<b>` c` <d>"), "`a` `<b>` c` \\<d\\>");
        // A span opened by two backticks holds one and closes at the next two.
        assert_eq!(md_escape("``a`<b>`` <c>"), "``a`<b>`` \\<c\\>");
        // A run with no run of its length after it is plain text, and the
        // runs after it still pair among themselves.
        assert_eq!(md_escape("``x `<y>` <z>"), "``x `<y>` \\<z\\>");
        assert_eq!(md_escape("a\nb `c\rd`"), "a b `c d`");
    }
}
