#!/usr/bin/env bash
# Keeps one issue about drift: opens it (labelled oxiform-drift) when `drift` found any,
# updates its body on the next drifted run, and closes it once nothing drifts:
#
#   GH_TOKEN=… GITHUB_REPOSITORY=owner/name .github/scripts/drift-issue.sh REPORT EXIT_CODE
#
# REPORT is `drift --format markdown`'s output; EXIT_CODE is drift's (0 no drift, 2 drift,
# anything else a failure, reported as one). RUN_URL, when set, is linked from the issue.
# Uses the GitHub CLI (`gh issue`), installed on GitHub's runners.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 REPORT EXIT_CODE" >&2
  exit 2
fi
report=$1
code=$2
repo=${GITHUB_REPOSITORY:?set GITHUB_REPOSITORY to owner/name}
label=oxiform-drift
marker='<!-- oxiform-drift -->'

case "$code" in
  0 | 2) ;;
  *)
    echo "error: drift failed (exit code $code); its output above says why" >&2
    exit 1
    ;;
esac

open=$(gh issue list --repo "$repo" --label "$label" --state open --json number --jq '.[0].number // empty')

case "$code" in
  2)
    body=$(mktemp)
    trap 'rm -f "$body"' EXIT
    {
      echo "$marker"
      cat "$report"
      if [ -n "${RUN_URL:-}" ]; then
        echo
        echo "Found by $RUN_URL."
      fi
    } >"$body"
    if [ -n "$open" ]; then
      gh issue edit "$open" --repo "$repo" --body-file "$body" >/dev/null
      echo "updated issue #$open"
    else
      gh label create "$label" --repo "$repo" --force --color D93F0B \
        --description "infrastructure changed outside terraform" >/dev/null
      url=$(gh issue create --repo "$repo" --title "Drift: infrastructure changed outside terraform" \
        --label "$label" --body-file "$body")
      echo "opened $url"
    fi
    ;;
  0)
    if [ -n "$open" ]; then
      gh issue close "$open" --repo "$repo" \
        --comment "No drift any more${RUN_URL:+ ($RUN_URL)}: every stack matches its state." >/dev/null
      echo "closed issue #$open"
    else
      echo "no drift, no open drift issue"
    fi
    ;;
esac
