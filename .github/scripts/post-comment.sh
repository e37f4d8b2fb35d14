#!/usr/bin/env bash
# Posts FILE as the pull request's review comment, or updates the comment that already
# carries the hidden marker, so a pull request has one review comment, kept current:
#
#   GH_TOKEN=… GITHUB_REPOSITORY=owner/name PR_NUMBER=42 .github/scripts/post-comment.sh FILE
#
# Uses the GitHub CLI (`gh api`), installed on GitHub's runners.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 FILE" >&2
  exit 2
fi
file=$1
repo=${GITHUB_REPOSITORY:?set GITHUB_REPOSITORY to owner/name}
pr=${PR_NUMBER:?set PR_NUMBER to the pull request number}
marker='<!-- oxiform-pr-review -->'

if ! grep -qF "$marker" "$file"; then
  echo "error: $file does not carry the marker $marker" >&2
  exit 2
fi

id=$(gh api --paginate "repos/$repo/issues/$pr/comments" \
  --jq ".[] | select(.body | contains(\"$marker\")) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$file" >/dev/null
  echo "updated comment $id on #$pr"
else
  gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$file" >/dev/null
  echo "posted a comment on #$pr"
fi
