#!/usr/bin/env bash
# The pull-request review, as CI runs it and as anyone can run it locally:
#
#   .github/scripts/pr-review.sh BASE_REF HEAD_REF
#
# checks out BASE_REF and HEAD_REF as detached worktrees, synthesises the base
# (`synth --out`), synthesises the head, and writes the markdown review of the head against
# the base (`diff --all --against <base output> --format markdown`: one review for every
# stack of the app(s): each stack's changes and replacement reasons, the values that cross
# stacks and which stay unknown until their stack applies, the monthly cost of each stack
# and in total before and after, new and resolved policy findings) as one comment body,
# marked with a hidden marker the posting step finds it by.
#
# Environment:
#   OXIFORM_CLI            the stacks command line (default: `cargo run --quiet -p stacks --`,
#                          run in each checkout exactly as a developer would); a test passes
#                          a prebuilt binary here
#   OXIFORM_REVIEW_DIR     work folder (default: <repository>/target/pr-review); emptied first
#   OXIFORM_REVIEW_OUTPUT  the comment body (default: <work folder>/comment.md)
#   CARGO_TARGET_DIR       shared by both checkouts (default: <repository>/target), so the
#                          base and the head reuse one build cache
#
# Exit status: 0 when the comment was written and the head synthesises; 1 when the head's
# synth fails (the comment says why); 2 on a usage error or when the base cannot be reviewed.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 BASE_REF HEAD_REF" >&2
  exit 2
fi
base_ref=$1
head_ref=$2

root=$(git rev-parse --show-toplevel)
work=${OXIFORM_REVIEW_DIR:-$root/target/pr-review}
output=${OXIFORM_REVIEW_OUTPUT:-$work/comment.md}
read -r -a cli <<<"${OXIFORM_CLI:-cargo run --quiet -p stacks --}"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
marker='<!-- oxiform-pr-review -->'
# GitHub refuses comments over 65,536 characters.
limit=65000

base_sha=$(git -C "$root" rev-parse --verify "$base_ref^{commit}")
head_sha=$(git -C "$root" rev-parse --verify "$head_ref^{commit}")

rm -rf "$work"
mkdir -p "$work" "$(dirname "$output")"
cleanup() {
  git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
  git -C "$root" worktree remove --force "$work/head" >/dev/null 2>&1 || true
}
trap cleanup EXIT
git -C "$root" worktree add --quiet --detach "$work/base" "$base_sha"
git -C "$root" worktree add --quiet --detach "$work/head" "$head_sha"

echo "synth of the base ($base_sha)" >&2
if ! (cd "$work/base" && "${cli[@]}" synth --out "$work/base-out") >"$work/base-synth.log" 2>&1; then
  cat "$work/base-synth.log" >&2
  echo "error: the base ($base_ref) does not synthesise; nothing to compare with" >&2
  exit 2
fi

echo "synth of the head ($head_sha)" >&2
head_ok=1
if ! (cd "$work/head" && "${cli[@]}" synth --out "$work/head-out") >"$work/head-synth.log" 2>&1; then
  head_ok=0
  cat "$work/head-synth.log" >&2
fi

echo "review of the head against the base" >&2
status=0
(cd "$work/head" && "${cli[@]}" diff --all --against "$work/base-out" --format markdown) \
  >"$work/review.md" 2>"$work/review.err" || status=$?
# `diff` exits 1 when anything differs.
if [ "$status" -gt 1 ]; then
  cat "$work/review.err" >&2
  echo "error: diff failed (exit code $status)" >&2
  exit 2
fi

{
  echo "$marker"
  echo "## Infrastructure review"
  echo
  echo "Base \`${base_sha:0:12}\` → head \`${head_sha:0:12}\`: each stack synthesised on both, compared with \`diff --all --format markdown\`."
  echo
  if [ "$head_ok" -eq 0 ]; then
    echo "> [!CAUTION]"
    echo "> \`synth\` of the head fails: nothing would be written. The review below compares the head's stacks as built; the refusal:"
    echo
    echo '```text'
    # The secret rules quote a secret's first characters (`("hunt…")`): not in a comment.
    sed -E 's/\("[^"]*…"\)/(sensitive)/g' "$work/head-synth.log"
    echo '```'
    echo
  fi
  if [ "$status" -eq 0 ]; then
    echo "No stack changes."
    echo
  fi
  cat "$work/review.md"
} >"$work/comment.full.md"

if [ "$(wc -c <"$work/comment.full.md")" -gt "$limit" ]; then
  { head -c "$limit" "$work/comment.full.md"; printf '\n\n… (cut at %s characters: run the script locally for the whole review)\n' "$limit"; } >"$output"
else
  cp "$work/comment.full.md" "$output"
fi
echo "wrote $output" >&2
[ "$head_ok" -eq 1 ]
