# Sourced by the scripts that use the package as an app would (tests/PackageConsumer/run.sh, examples/notebooks/run.sh):
# packs src/Microsoft.ML.Lstm into $work/feed under 0.1.0-<label>.<unix time>, a version no NuGet cache has seen, and on
# exit removes the temporary folder and the cached copy of that version. Sets root, work and version; its status is
# non-zero when the pack fails. Usage: source build/fresh-package.sh <label>
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
version="0.1.0-$1.$(date +%s)"
fresh_package_cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}/microsoft.ml.lstm/$version"
trap 'rm -rf "$work" "$fresh_package_cache"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "== pack Microsoft.ML.Lstm $version"
dotnet pack "$root/src/Microsoft.ML.Lstm" -c Release -o "$work/feed" -p:VersionSuffix="${version#0.1.0-}" -v q \
  && [ -f "$work/feed/Microsoft.ML.Lstm.$version.nupkg" ]
