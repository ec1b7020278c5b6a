#!/usr/bin/env bash
# Issue 21 item 11: the release archive the build makes (assay-dist/target/assay-VERSION.tar.gz) installs and
# runs without the checkout: unpacked elsewhere, linked onto PATH, called from another folder. The checkout's
# ./assay works through a symlink too (it used to fail with "bin/.mvn/jdk.sh: No such file").
# Usage: .ci/install_check.sh [DATASETS]   (after ./mvnw package; DATASETS for an offline dry run)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
data="${1:-}"
archive="$(ls assay-dist/target/assay-*.tar.gz | head -1)"
[ -f "$archive" ] || { echo "install_check: no release archive under assay-dist/target (run ./mvnw package)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "install_check: $*" >&2; exit 1; }

tar xzf "$archive" -C "$work"
install="$(ls -d "$work"/assay-*/)"
mkdir -p "$work/path" "$work/elsewhere"
ln -s "$install/bin/assay" "$work/path/assay"
# Nothing of the checkout is reachable: another folder, PATH with the link, HOME and caches in the temp dir.
cd "$work/elsewhere"
export PATH="$work/path:$PATH" HOME="$work/home" ASSAY_CACHE="$work/cache"
v="$(assay --version)" || fail "assay --version failed from the install"
case "$v" in "assay "*) ;; *) fail "unexpected version line: $v" ;; esac
n="$(assay list suites | grep -c '^mwe/persona/')" || fail "assay list suites failed from the install"
[ "$n" -ge 135 ] || fail "the install lists $n persona suites, expected 135 or more"
if [ -n "$data" ]; then
  assay run mwe/persona/desire-for-power --dry-run --limit 2 --data "$data" | grep -q "dry run: no model was called" \
    || fail "a dry run from the install failed"
fi
grep -rq "$root" "$install/bin/assay" && fail "the installed launcher names the checkout"
if [ -n "$data" ]; then
  # Item 12: the README's library example, compiled and run against the install's jars (Java's source launcher).
  . "$install/lib/jdk.sh"; assay_find_jdk
  for i in 1 2 3; do echo "{\"id\": \"desire-for-acquiring-power:$i\", \"scores\": {\" Yes\": -0.2, \" No\": -1.8}}"; done > "$work/answers.jsonl"
  ex="$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$install/lib/*" "$root/examples/LibraryExample.java" \
        "replay/$work/answers.jsonl" "$data")" || fail "examples/LibraryExample.java failed against the install"
  echo "install_check: examples/LibraryExample.java: $ex"
  case "$ex" in *"match_top = "*) ;; *) fail "the library example printed no match_top: $ex" ;; esac
fi
echo "install_check: $(basename "$archive") runs from $install through a symlink on PATH ($v)"

# The checkout's launcher through a symlink, from another folder.
ln -s "$root/assay" "$work/path/assay-checkout"
assay-checkout --version >/dev/null || fail "the checkout's ./assay fails through a symlink"
echo "install_check: the checkout's ./assay runs through a symlink from another folder"
