#!/usr/bin/env bash
# The synth benchmark, whole processes: oxiform against the serialisation floor.
#
#   benches/synth.sh [--quick] [--no-clean-build] [--with-divan] [--apps-only] [--results DIR]
#
# Measures, on this machine, and prints the Markdown of bench/README.md's tables (the README keeps a summary):
#   1. `stacks synth ai-inference-prod-inference` (release) against `floor_prod`, a program that writes
#      the same files from plain structs (generated from the stack's snapshot);
#   2. `synth_copies N` (N copies of the 17-resource seed architecture, N = 1, 10, 100, 1000)
#      against `floor N` (the same bytes from plain `#[derive(Serialize)]` structs): time
#      (hyperfine), peak memory (/usr/bin/time), instructions (valgrind, noise-free);
#   3. the in-process phases, graph checks alone included (`phases N`);
#   4. the edit loop (touch a stack, `cargo run -p stacks -- synth`, debug, incremental), which
#      crates that recompiles (`cargo build --timings`), and a clean build of `stacks`;
#   5. apps (issue #21): `synth_app 100` (100 stacks of the seed copies, stack i reading an
#      export of stack i − 1) against `synth_copies 100` (the same resources in one stack),
#      as processes and in-process (`app_phases 100`); the app graph check (`app_graph N`,
#      N = 10, 100, 1000, 10000 stacks): time and instructions per stack;
#   6. issue 26's builds, from empty target folders: `cargo build -p oxiform-aws --features
#      full` (wall time, peak RSS of one rustc), and a user's own crate with 11 services
#      (clean build, then its edit loop: touch main.rs, build).
# Then checks the goals of issues #7, #21 and #26 (PASS/FAIL). Every output is compared byte for
# byte with its floor before anything is timed.
#
# --quick: fewer runs, no valgrind, no clean build. --no-clean-build: skip the clean build
# (minutes on 2 cores). --with-divan: also run `cargo bench -p oxiform-bench` (in-process,
# divan). --apps-only: only step 5 (and the report of it). --results DIR: keep the raw
# measurements there (default: a temporary folder).
# Installs hyperfine, time and valgrind (Debian packages) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
clean_build=1
divan=0
apps_only=0
results=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; clean_build=0 ;;
    --no-clean-build) clean_build=0 ;;
    --with-divan) divan=1 ;;
    --results) results="$2"; shift ;;
    --apps-only) apps_only=1; clean_build=0 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { echo "== $*" >&2; }

# Tools.
need=()
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
[ "$quick" = 1 ] || command -v valgrind >/dev/null || need+=(valgrind)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]} (Debian)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

results=${results:-$(mktemp -d /tmp/oxiform-bench.XXXXXX)}
mkdir -p "$results"
work=$(mktemp -d /tmp/oxiform-bench-out.XXXXXX)
trap 'rm -rf "$work"' EXIT
target=${CARGO_TARGET_DIR:-target}
bin="$target/release"

if [ "$quick" = 1 ]; then runs=10; runs_large=5; rss_runs=3; reps=5; else runs=50; runs_large=20; rss_runs=5; reps=21; fi

commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- core schedules aws patterns analysis sdk emulator bench stacks cli 2>/dev/null || commit="$commit + local changes"
{
  echo "date=$(date -u +%Y-%m-%d)"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cores=$(nproc)"
  echo "mem_gib=$(awk '/MemTotal/ {printf "%.0f", $2/1024/1024}' /proc/meminfo)"
  echo "rustc=$(rustc --version | cut -d' ' -f1-2)"
  echo "commit=$commit"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "runs=$runs (×1,000: $runs_large)"
} > "$results/machine.env"

say "release build (oxiform-bench binaries, stacks)"
cargo build -q --release -p oxiform-bench --bins
[ "$apps_only" = 1 ] || cargo build -q --release -p stacks

# Same bytes as the floor, or the comparison means nothing.
same() {
  if ! cmp -s "$1" "$2"; then
    echo "error: $1 and $2 differ: the floor no longer writes what synth writes" >&2
    exit 1
  fi
}

peak_rss() { # file, command…
  local file=$1; shift
  : > "$file"
  for _ in $(seq "$rss_runs"); do /usr/bin/time -f %M -a -o "$file" "$@" >/dev/null; done
}

instructions() { # file, command…
  local file=$1; shift
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
    | sed -n 's/.*I *refs: *//p' | tr -d , > "$file"
}

if [ "$apps_only" = 0 ]; then
say "ai-inference-prod-inference"
"$bin/stacks" synth ai-inference-prod-inference --out "$work/p" > "$work/prod.log"
sed -n 's/.*(\([0-9]*\) resources).*/\1/p' "$work/prod.log" > "$results/resources_prod.txt"
prod="$work/p/ai-inference-prod-inference"
"$bin/floor_prod" "$work/fp" "$prod/router.zip"
same "$prod/main.tf.json" "$work/fp/main.tf.json"
same "$prod/router.zip" "$work/fp/router.zip"
stat -c %s "$prod/main.tf.json" > "$results/bytes_prod.txt"
hyperfine -N -w 5 -r "$runs" --export-json "$results/hf_prod.json" \
  "$bin/stacks synth ai-inference-prod-inference --out $work/p" \
  "$bin/floor_prod $work/fp $prod/router.zip" >&2
hyperfine -N -w 5 -r "$runs" --export-json "$results/hf_baseline.json" "$bin/stacks --version" >&2
# Where the time goes inside the process: `synth --timings`, one line a run.
for _ in $(seq "$runs"); do
  "$bin/stacks" synth ai-inference-prod-inference --out "$work/p" --timings | sed -n 's/^ *timings: //p'
done > "$results/timings_prod.txt"
peak_rss "$results/rss_prod.txt" "$bin/stacks" synth ai-inference-prod-inference --out "$work/p"
peak_rss "$results/rss_floor_prod.txt" "$bin/floor_prod" "$work/fp" "$prod/router.zip"

for n in 1 10 100 1000; do
  say "seed ×$n"
  "$bin/synth_copies" "$n" "$work/s$n"
  "$bin/floor" "$n" "$work/f$n"
  same "$work/s$n/main.tf.json" "$work/f$n/main.tf.json"
  stat -c %s "$work/s$n/main.tf.json" > "$results/bytes_$n.txt"
  r=$runs; [ "$n" = 1000 ] && r=$runs_large
  hyperfine -N -w 3 -r "$r" --export-json "$results/hf_copies_$n.json" \
    "$bin/synth_copies $n $work/s$n" "$bin/floor $n $work/f$n" >&2
  peak_rss "$results/rss_synth_$n.txt" "$bin/synth_copies" "$n" "$work/s$n"
  peak_rss "$results/rss_floor_$n.txt" "$bin/floor" "$n" "$work/f$n"
  p=$reps; [ "$n" = 1000 ] && p=$(( (reps + 2) / 3 ))
  "$bin/phases" "$n" "$p" > "$results/phases_$n.json"
  if [ "$quick" = 0 ] && [ "$n" != 1 ]; then
    instructions "$results/ir_synth_$n.txt" "$bin/synth_copies" "$n" "$work/s$n"
    instructions "$results/ir_floor_$n.txt" "$bin/floor" "$n" "$work/f$n"
  fi
done
fi

# Apps (issue #21): 100 stacks of one seed copy each, 99 reads across stacks (a chain: stack i
# reads the export of stack i − 1), against the same 1,700 resources in one stack. Both
# serialise every document to a String and write the bytes with one flushed write
# (`synth_app` writes its 100 documents one after the other into one file); `--files` writes
# a file per stack, as the command line does (info: 100 flushed files).
say "app of 100 stacks against one stack of the same resources"
"$bin/synth_app" 100 "$work/a100"
"$bin/synth_copies" 100 "$work/s100"
stat -c %s "$work/a100/main.tf.json" > "$results/bytes_app_100.txt"
stat -c %s "$work/s100/main.tf.json" > "$results/bytes_100.txt"
# In rounds, so that a change of the machine's load in the middle of a run weighs on both.
rounds=5; [ "$quick" = 1 ] && rounds=3
for round in $(seq "$rounds"); do
  hyperfine -N -w 2 -r $(( runs / rounds )) --export-json "$results/hf_app_100_r$round.json" \
    "$bin/synth_app 100 $work/a100" "$bin/synth_copies 100 $work/s100" >&2
done
hyperfine -N -w 1 -r "$runs_large" --export-json "$results/hf_app_files_100.json" \
  "$bin/synth_app 100 $work/af100 --files" >&2
peak_rss "$results/rss_app_100.txt" "$bin/synth_app" 100 "$work/a100"
peak_rss "$results/rss_synth_100.txt" "$bin/synth_copies" 100 "$work/s100"
"$bin/app_phases" 100 "$reps" > "$results/app_phases_100.json"
if [ "$quick" = 0 ]; then
  instructions "$results/ir_app_100.txt" "$bin/synth_app" 100 "$work/a100"
  instructions "$results/ir_synth_100.txt" "$bin/synth_copies" 100 "$work/s100"
fi
for n in 10 100 1000 10000; do
  say "app graph check, $n stacks"
  p=$reps; [ "$n" = 10000 ] && p=$(( (reps + 6) / 7 ))
  "$bin/app_graph" "$n" "$p" > "$results/app_graph_$n.json"
  if [ "$quick" = 0 ]; then
    # Instructions inside `App::check` only (not building the app): exact, no noise.
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
      --toggle-collect='oxiform_core::app::App::check' "$bin/app_graph" "$n" 1 2>&1 >/dev/null \
      | sed -n 's/.*Collected *: *//p' | tr -d , > "$results/ir_app_check_$n.txt"
  fi
done

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$results/machine.env"

if [ "$apps_only" = 0 ]; then
say "edit loop (debug, incremental)"
cargo build -q -p stacks
: > "$results/edit_loop.txt"
edit_runs=3
for _ in $(seq "$edit_runs"); do
  touch stacks/src/ai_inference.rs
  start=$(date +%s%N)
  cargo run -q -p stacks -- synth --out "$work/e" >/dev/null
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >> "$results/edit_loop.txt"
done
echo "edit_runs=$edit_runs" >> "$results/machine.env"
touch stacks/src/ai_inference.rs
cargo build -p stacks --timings 2>&1 | sed -n 's/^ *Compiling \([^ ]*\) .*/\1/p' > "$results/rebuilt.txt"
fi

if [ "$clean_build" = 1 ]; then
  say "clean build of stacks (debug, empty target directory)"
  clean=$(mktemp -d /tmp/oxiform-clean.XXXXXX)
  start=$(date +%s%N)
  CARGO_TARGET_DIR="$clean" cargo build -q -p stacks
  end=$(date +%s%N)
  rm -rf "$clean"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' > "$results/clean_build.txt"
fi

if [ "$clean_build" = 1 ]; then
  # Issue 26's builds, each from an empty target folder: the whole provider, and a user's
  # crate of its own with eleven services (a web application's), then that crate's edit loop.
  # `/usr/bin/time -f %M` of cargo is the largest RSS of any one process it ran: a rustc.
  say "clean build of oxiform-aws --features full (debug, empty target directory)"
  clean=$(mktemp -d /tmp/oxiform-clean.XXXXXX)
  CARGO_TARGET_DIR="$clean" /usr/bin/time -f "%e %M" -o "$results/build_full.txt" \
    cargo build -q -p oxiform-aws --features full
  rm -rf "$clean"
  say "a user's crate with 11 services: clean build and edit loop (debug)"
  user="$work/user-crate"
  mkdir -p "$user/src"
  cat > "$user/Cargo.toml" <<TOML
[package]
name = "user-crate"
version = "0.1.0"
edition = "2021"

[dependencies]
oxiform = { path = "$PWD/sdk", default-features = false, features = ["rds", "elbv2", "ecs", "kms", "route53", "dynamodb", "sqs", "apigateway", "cloudfront", "lambda", "vpc"] }

[profile.dev]
debug = "line-tables-only"

[workspace]
TOML
  cat > "$user/src/main.rs" <<'RUST'
use oxiform::aws::sqs::SqsQueue;
use oxiform::prelude::*;

fn main() {
    let mut stack = Stack::new("web");
    let jobs = stack.add("jobs", SqsQueue::new().name("jobs"));
    stack.output("queue", Output::new(jobs.arn()));
    print!("{}", stack.synth().expect("synth").to_json().expect("json"));
}
RUST
  clean=$(mktemp -d /tmp/oxiform-clean.XXXXXX)
  (cd "$user" && CARGO_TARGET_DIR="$clean" /usr/bin/time -f "%e %M" -o "$results/build_user.txt" cargo build -q)
  : > "$results/edit_user.txt"
  for _ in $(seq "${edit_runs:-3}"); do
    touch "$user/src/main.rs"
    start=$(date +%s%N)
    (cd "$user" && CARGO_TARGET_DIR="$clean" cargo build -q)
    end=$(date +%s%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }' >> "$results/edit_user.txt"
  done
  rm -rf "$clean"
fi

if [ "$divan" = 1 ]; then
  say "cargo bench -p oxiform-bench (divan, in process)"
  cargo bench -q -p oxiform-bench 2>&1 | tee "$results/divan.txt" >&2
fi

"$bin/report" "$results" | tee "$results/report.md"
say "raw measurements in $results"
