#!/usr/bin/env bash
# Regenerates the shipped synthetic township tables. SYNTHETIC data, not official statistics:
# see docs/data.md. tests/test_shipped_data.py checks every file here equals what its line makes.
set -euo pipefail
cd "$(dirname "$0")"
stationplan synth --force --profile prefecture --townships 297 --counties 18 --seed 7 -o ganzhou.csv
stationplan synth --force --profile county --townships 10 --counties 1 --urban-share 0.6 --coverage 0 --seed 11 -o yanji.csv
stationplan synth --force --profile relocation --townships 64 --counties 40 --seed 21 -o guizhou_relocation.csv
stationplan synth --force --profile province --townships 2460 --counties 157 --coverage 0.6 --seed 37 -o henan.csv
