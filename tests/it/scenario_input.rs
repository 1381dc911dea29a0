//! What reaches the loader as bytes and what leaves it as text. Each test is
//! named after the defect it guards.

use crate::robustness::regionsim;

#[test]
fn a_stray_closing_brace_in_an_array_is_located_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    for (text, column) in [("[}", 2), (r#"{"name":"x","regions":[}"#, 24)] {
        let f = dir.path().join("stray.json");
        std::fs::write(&f, text).unwrap();
        let out = dir.path().join("out");
        for command in ["check", "run", "plan"] {
            let mut args = vec![command, f.to_str().unwrap()];
            if command != "check" {
                args.extend(["--out", out.to_str().unwrap()]);
            }
            let (code, err) = regionsim(dir.path(), &args);
            assert_eq!(code, Some(2), "{command} {text}: {err}");
            assert!(err.contains("expected a value"), "{command} {text}: {err}");
            assert!(
                err.contains(&format!("(line 1, column {column})")),
                "{command} {text}: {err}"
            );
            assert!(!out.exists());
        }
    }
}
