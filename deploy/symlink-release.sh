#!/bin/sh
# Deploy a built site to a folder a web server (nginx, Caddy) serves, switching atomically:
#   MAGNETIQ_DEPLOY_COMMAND="sh deploy/symlink-release.sh /srv/www/example"
# The runner appends the output folder. Each deploy copies it to <target>/releases/<time>, then
# renames a new symlink over <target>/current in one step, so visitors see the old site or the
# new one, never a mixture. The server's root is <target>/current. The last 5 releases are kept
# (roll back by pointing `current` at an older one).
set -eu
target=$1
output=$2
release="$target/releases/$(date -u +%Y%m%dT%H%M%S%N)"
mkdir -p "$target/releases"
cp -a "$output/." "$release"
ln -sfn "$release" "$target/current.new"
mv -T "$target/current.new" "$target/current"
echo "deployed $output to $release"
ls -1d "$target"/releases/* | sort | head -n -5 | xargs -r rm -rf
