#!/usr/bin/env bash
# The README's run command: set up, then run the main job on the embedded default data set (Fashion-MNIST).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
source .venv/bin/activate
model_compression --mode all --preset quick "$@"
