#!/usr/bin/env bash
# Rebuilds the real built-in datasets (examples/src/main/resources/org/statespace/datasets) from Debian
# packages. Run by hand as root on Debian 12 (bookworm); the build and the tests never run it.
# Packages as used for the committed files:
#   r-base-core 4.2.2.20221110-2        (R's datasets package: AirPassengers, lynx, LakeHuron, faithful, Seatbelts)
#   r-cran-janeaustenr 1.0.0-1          (Pride and Prejudice, Project Gutenberg text)
#   python3-statsmodels 0.13.5+dfsg-7   (only downloaded and unpacked: its CSV files sunspots, co2, macrodata)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../main/resources/org/statespace/datasets}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
apt-get update
apt-get install -y --no-install-recommends r-base-core r-cran-janeaustenr python3   # the Python script needs only its standard library
(cd "$work" && apt-get download python3-statsmodels && dpkg -x python3-statsmodels_*_all.deb sm)
cd "$work"
Rscript "$here/r_datasets.R"
Rscript "$here/austen_text.R"
python3 "$here/statsmodels_datasets.py" "$work/sm"
cp airpassengers.csv lynx.csv lakehuron.csv faithful.csv seatbelts.csv sunspots.csv co2.csv usmacro.csv austen.json "$out"/
