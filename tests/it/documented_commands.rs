//! Every command the README and docs/ show is one a user can paste: each
//! `run`, `compare`, `sweep`, `plan`, `fit`, `check`, `validate`, `schema`,
//! `completions` and `man` line of their code blocks is run as written, made
//! cheap (an hour past the warm-up and the timeline, two replications, a few
//! candidates, no charts, into a temporary folder; `validate` lists the cases
//! its filter names instead of running them), and must be accepted. A sweep
//! value that the scenario rules later refused once sat in the README's
//! command for a day.

use std::path::Path;

use crate::common::repo;

/// The commands of the fenced code blocks of one Markdown file, each as its
/// words (after `regionsim`), with the line it starts on.
fn commands(text: &str) -> Vec<(usize, Vec<String>)> {
    let (mut out, mut fenced, mut pending) = (Vec::new(), false, None::<(usize, String)>);
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            continue;
        }
        let joined = match pending.take() {
            Some((start, head)) => (start, format!("{head} {t}")),
            None => {
                let t = t.strip_prefix("$ ").unwrap_or(t);
                let Some(rest) = (t.strip_prefix("cargo run --release -- "))
                    .or_else(|| t.strip_prefix("regionsim "))
                else {
                    continue;
                };
                (n + 1, rest.to_string())
            }
        };
        match joined.1.strip_suffix('\\') {
            Some(head) => pending = Some((joined.0, head.trim_end().to_string())),
            None => out.push((joined.0, words(&joined.1))),
        }
    }
    out
}

/// Shell words: single and double quotes group, `#` outside them starts a comment.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quote, mut started) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => (quote, started) = (Some(c), true),
            (None, '#') if !started => break,
            (None, c) if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut word));
                }
                started = false;
            }
            (None, c) => (word.push(c), started = true).1,
        }
    }
    if started {
        out.push(word);
    }
    out
}

/// A template rather than a command: placeholders (`SCENARIO`, `K/N`, `[--x]`,
/// `A,B,...`, `bash|zsh`) or a shell glob.
fn template(words: &[String]) -> bool {
    words.iter().any(|w| {
        let caps = w.chars().filter(|c| c.is_ascii_uppercase()).count();
        w.starts_with('[') && !w.contains('=')
            || w.contains("...")
            || w.contains('*') && !w.contains('=')
            || w.contains('|')
            || caps >= 3 && !w.starts_with("--") && !w.contains('=')
            || w.chars().all(|c| c.is_ascii_uppercase() || c == '/')
    })
}

/// `--flag VALUE` set to `value`, replacing the command's own.
fn set(words: &mut Vec<String>, flag: &str, value: &str) {
    match words.iter().position(|w| w == flag) {
        Some(i) if i + 1 < words.len() => words[i + 1] = value.to_string(),
        _ => words.extend([flag.to_string(), value.to_string()]),
    }
}

/// The command made cheap and pointed at `out`; None for one this test does not run.
fn cheap(mut w: Vec<String>, out: &Path) -> Option<Vec<String>> {
    let sub = w.first()?.clone();
    let out = out.to_str().unwrap();
    match sub.as_str() {
        "run" | "compare" | "sweep" | "plan" => {
            let world =
                regionsim::scenario::load(&repo(w.get(1)?)).unwrap_or_else(|e| panic!("{e}"));
            // An hour past the warm-up and past every timeline event, at most
            // the scenario's own horizon.
            let (own, events) = (world.run().horizon_s, world.timeline().iter());
            let last = events.map(|e| if e.end_s < own { e.end_s } else { e.at_s });
            let end = last.fold(world.run().warmup_s, f64::max) + 3600.0;
            let horizon = format!("{}s", end.min(own));
            set(&mut w, "--out", out);
            set(&mut w, "--horizon", &horizon);
            set(&mut w, "--replications", "2");
            if w.iter().any(|x| x == "--sessions") {
                set(&mut w, "--sessions", &format!("{out}.csv"));
            }
            if sub == "plan" {
                set(&mut w, "--max-candidates", "3");
            }
            for flag in ["--no-charts", "--quiet"] {
                if !w.iter().any(|x| x == flag) {
                    w.push(flag.to_string());
                }
            }
        }
        "fit" => set(&mut w, "--out", out),
        "check" | "schema" | "completions" => {}
        // The cases a filter names, listed rather than run: a filter that
        // matches none exits 2.
        "validate" if !w.iter().any(|x| x == "--list") => w.push("--list".to_string()),
        "validate" => {}
        "man" if w.iter().any(|x| x == "--dir") => set(&mut w, "--dir", out),
        "man" => {}
        _ => return None,
    }
    Some(w)
}

#[test]
fn every_documented_command_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = vec![repo("README.md")];
    let docs = std::fs::read_dir(repo("docs"))
        .unwrap()
        .map(|e| e.unwrap().path());
    let mut docs: Vec<_> = docs
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut ran = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        for (line, words) in commands(&text) {
            if template(&words) {
                continue;
            }
            let out = dir.path().join(format!("{name}-{line}"));
            let Some(args) = cheap(words.clone(), &out) else {
                continue;
            };
            let o = assert_cmd::Command::cargo_bin("regionsim")
                .unwrap()
                .current_dir(repo("."))
                .args(&args)
                .output()
                .unwrap();
            // 3: a plan found no feasible capacities in its few candidates.
            let ok = matches!(o.status.code(), Some(0 | 3));
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                ok,
                "{name}:{line}: `regionsim {}` failed: {err}",
                words.join(" ")
            );
            ran += 1;
        }
    }
    // The README alone shows a dozen such commands; a parser that finds none
    // would pass for nothing.
    assert!(ran >= 30, "only {ran} documented commands found");
}

#[test]
fn documented_commands_are_read_as_a_shell_reads_them() {
    let md = "text\n```sh\n$ regionsim sweep x.json --set 'a[*].b=0.4,0.5' \\\n  --metrics m  # note\nregionsim run SCENARIO [options]\n```\nregionsim run outside.json\n";
    let found = commands(md);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].0, 3);
    assert_eq!(
        found[0].1,
        [
            "sweep",
            "x.json",
            "--set",
            "a[*].b=0.4,0.5",
            "--metrics",
            "m"
        ]
    );
    assert!(!template(&found[0].1));
    assert!(template(&found[1].1));
}
