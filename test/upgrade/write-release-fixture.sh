#!/bin/sh
# Writes test/upgrade/fixtures/release-<commit>.json: runs write-release-fixture.ts inside a copy
# of that commit's tree, so the device database is written by the release's own code.
# Usage: test/upgrade/write-release-fixture.sh <commit>   (from the repository root)
set -eu
commit=$(git rev-parse --short "$1")
root=$(pwd)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
git archive "$commit" | tar -x -C "$tree"
# The release's dependencies are today's (package.json has not changed since before 5970da2).
ln -s "$root/node_modules" "$tree/node_modules"
mkdir -p "$tree/test/upgrade"
cp test/upgrade/write-release-fixture.ts "$tree/test/upgrade/write-release-fixture.test.ts"
cp test/upgrade/release-scans.ts "$tree/test/upgrade/"
cd "$tree"
RELEASE_COMMIT="$commit" RELEASE_FIXTURE_OUT="$root/test/upgrade/fixtures/release-$commit.json" \
  npx vitest run test/upgrade/write-release-fixture.test.ts --project unit
