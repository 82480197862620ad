//! `legal fmt` as a user meets it: files rewritten in place, `--check` listing what would
//! change, standard in to standard out, and located errors for files that do not parse.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const MESSY: &str = "syfte a \"a\"\ngrupp g \"g\" = {a,b}   \n";
const TIDY: &str = "syfte a \"a\"\ngrupp g \"g\" = { a, b }\n";

fn legal(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_legal"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run legal")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("legal-fmt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("under")).unwrap();
    dir
}

fn read(p: PathBuf) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn check_lists_the_files_that_would_change_and_fmt_rewrites_them() {
    let dir = temp_dir("rewrite");
    std::fs::write(dir.join("a.lagrum"), MESSY).unwrap();
    std::fs::write(dir.join("b.lagrum"), TIDY).unwrap();
    std::fs::write(dir.join("under/c.lagrum"), MESSY).unwrap();
    std::fs::write(dir.join("inte-regler.txt"), MESSY).unwrap();

    let out = legal(&dir, &["fmt", "--check", "."]);
    assert_eq!(out.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&out.stdout);
    let listed: Vec<&str> = listed.lines().collect();
    assert_eq!(listed, ["./a.lagrum", "./under/c.lagrum"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 av 3 filer är inte formaterade"));
    assert_eq!(read(dir.join("a.lagrum")), MESSY, "--check changes nothing");

    let out = legal(&dir, &["fmt", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(read(dir.join("a.lagrum")), TIDY);
    assert_eq!(read(dir.join("under/c.lagrum")), TIDY);
    assert_eq!(read(dir.join("inte-regler.txt")), MESSY, "only *.lagrum files");

    let out = legal(&dir, &["fmt", "--check", "a.lagrum", "under"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_file_that_does_not_parse_is_an_error_with_its_place_and_is_left_alone() {
    let dir = temp_dir("broken");
    let broken = "syfte a \"a\"\n\nsekretess s = OSL 1 § {\n  version från 2020-01-01 { skyddar }\n}\n";
    std::fs::write(dir.join("a.lagrum"), broken).unwrap();
    std::fs::write(dir.join("b.lagrum"), MESSY).unwrap();
    let out = legal(&dir, &["fmt", "."]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("./a.lagrum:4:"), "{err}");
    assert_eq!(read(dir.join("a.lagrum")), broken);
    assert_eq!(read(dir.join("b.lagrum")), TIDY, "the other files are still formatted");
}

#[test]
fn a_dash_reads_standard_in_and_writes_standard_out() {
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_legal"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(MESSY.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(&["fmt", "-"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), TIDY);
    let out = run(&["fmt", "--check", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_directory_without_ruleset_files_is_an_error() {
    let dir = temp_dir("empty");
    let out = legal(&dir, &["fmt", "--check", "under"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inga regelfiler"));
}
