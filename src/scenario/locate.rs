//! Finds the line and column of a JSON path in the scenario text, so that errors
//! found after parsing (semantic validation) point at the right place too.
//!
//! A small tolerant scanner: it only has to walk documents serde already accepted.

/// One step of a JSON path.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut key = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !key.is_empty() {
                    steps.push(Step::Key(std::mem::take(&mut key)));
                }
            }
            '[' => {
                if !key.is_empty() {
                    steps.push(Step::Key(std::mem::take(&mut key)));
                }
                let mut n = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    n.push(d);
                }
                match n.parse() {
                    Ok(i) => steps.push(Step::Index(i)),
                    Err(_) => return Vec::new(),
                }
            }
            _ => key.push(c),
        }
    }
    if !key.is_empty() {
        steps.push(Step::Key(key));
    }
    steps
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn string(&mut self) -> Option<String> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    let s = String::from_utf8_lossy(&self.b[start..self.i]).into_owned();
                    self.i += 1;
                    return Some(s);
                }
                _ => self.i += 1,
            }
        }
        None
    }

    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        match *self.b.get(self.i)? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                while self.i < self.b.len() {
                    match self.b[self.i] {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
                None
            }
            _ => {
                while self.i < self.b.len() && !matches!(self.b[self.i], b',' | b'}' | b']') {
                    self.i += 1;
                }
                Some(())
            }
        }
    }

    /// Positioned at a value: descend one step, leaving the scanner at the child.
    fn descend(&mut self, step: &Step) -> Option<()> {
        self.ws();
        match (step, *self.b.get(self.i)?) {
            (Step::Key(k), b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    let name = self.string()?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return None;
                    }
                    self.i += 1;
                    self.ws();
                    if &name == k {
                        return Some(());
                    }
                    self.skip_value()?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b',') {
                        return None;
                    }
                    self.i += 1;
                }
            }
            (Step::Index(n), b'[') => {
                self.i += 1;
                for _ in 0..*n {
                    self.skip_value()?;
                    self.ws();
                    if self.b.get(self.i) != Some(&b',') {
                        return None;
                    }
                    self.i += 1;
                }
                self.ws();
                Some(())
            }
            _ => None,
        }
    }
}

/// 1-based (line, column) of the value at `path` in `text`, if it can be found.
/// Descends as far as the path exists, so a missing field points at its parent.
pub fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let mut sc = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    sc.ws();
    for step in parse_path(path) {
        let saved = sc.i;
        if sc.descend(&step).is_none() {
            sc.i = saved;
            break;
        }
    }
    sc.ws();
    let offset = sc.i.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let col = offset
        - before
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    Some((line, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"a\": 1,\n  \"pops\": [\n    {\"name\": \"x\"},\n    {\"name\": \"y\", \"rate\": {\"peak\": -3}}\n  ]\n}";

    #[test]
    fn finds_nested_values() {
        assert_eq!(locate(DOC, "a"), Some((2, 8)));
        assert_eq!(locate(DOC, "pops[1].rate.peak"), Some((5, 36)));
        assert_eq!(locate(DOC, "pops[0].name"), Some((4, 14)));
    }

    #[test]
    fn missing_steps_point_at_the_deepest_parent() {
        assert_eq!(locate(DOC, "pops[1].nope"), Some((5, 5)));
    }
}
