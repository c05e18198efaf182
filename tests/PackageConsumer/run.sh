#!/usr/bin/env bash
# Package consumer test (issue 13): packs the library under a version no NuGet cache has seen, restores it into a copy
# of this folder's app from a local feed (the app's own nuget.config), trains and saves in one process, loads and scores
# in a second (predictions must be bit-identical), then publishes the app with PublishReadyToRun=true and loads and
# scores again from the precompiled app. Usage: tests/PackageConsumer/run.sh [Microsoft.ML version ...] (default 6.0.0;
# CI runs 6.0.0 and 5.0.1).
# Prints one "consumer test: passed|FAILED" line per version; exits non-zero on any failure.
set -uo pipefail
step() { echo "== $*"; }
fail() { echo "consumer test: FAILED ($1)"; exit 1; }
source "$(dirname "$0")/../../build/fresh-package.sh" consumer || fail "pack"

status=0
for ml in "${@:-6.0.0}"; do
  app="$work/app-$ml"
  mkdir -p "$app" && cp "$root/tests/PackageConsumer/PackageConsumer.csproj" "$root/tests/PackageConsumer/Program.cs" "$app/"
  cat > "$app/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
CONFIG
  # The package asks for Microsoft.ML >= 6.0.0 (it is built against 6.0.0); an app that pins 5.0.1 is a downgrade
  # (NU1605), allowed here so that the test shows whether the same binary also runs on 5.0.1.
  props=(-p:LstmVersion="$version" -p:MLNetVersion="$ml" -p:NoWarn=NU1605)
  # (set -e does not hold in a subshell whose status is tested, so every step says || exit.)
  (
    cd "$app" || exit 1
    step "Microsoft.ML $ml: build the app"
    dotnet build -c Release "${props[@]}" -v q -o "$app/bin" || exit 1
    grep -q "\"Microsoft.ML/$ml\"" "$app/bin/PackageConsumer.deps.json" \
      || { echo "the app did not resolve Microsoft.ML $ml"; exit 1; }
    step "Microsoft.ML $ml: train and save (process 1)"
    dotnet "$app/bin/PackageConsumer.dll" train "$app" || exit 1
    step "Microsoft.ML $ml: load and score (process 2)"
    dotnet "$app/bin/PackageConsumer.dll" score "$app" || exit 1
    step "Microsoft.ML $ml: publish with ReadyToRun, load and score (process 3)"
    dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true "${props[@]}" -v q -o "$app/r2r" \
      || exit 1
    "$app/r2r/PackageConsumer" score "$app" || exit 1
    # The precompiled path really ran: the published library carries native code, so it is larger than the IL one.
    [ "$(stat -c%s "$app/r2r/Microsoft.ML.Lstm.dll")" -gt "$(stat -c%s "$app/bin/Microsoft.ML.Lstm.dll")" ] \
      || { echo "the published Microsoft.ML.Lstm.dll is not ReadyToRun"; exit 1; }
  ) && echo "consumer test: passed (Microsoft.ML $ml, JIT and ReadyToRun)" \
    || { echo "consumer test: FAILED (Microsoft.ML $ml)"; status=1; }
done
exit $status
