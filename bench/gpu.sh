#!/usr/bin/env bash
# Every benchmark at its GPU size, on one GPU (under 25 minutes on a recent one); each log goes to
# bench/results/NAME-<gpu>.txt, its figures to NAME-<gpu>.json beside it.
#   bench/gpu.sh            # on a machine with a CUDA GPU
#   bench/gpu.sh --smoke    # every script in bench/ on the CPU at toy sizes (under 3 minutes): they all still run
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-.venv/bin/python}
[ -x "$py" ] || py=python

if [ "${1:-}" = --smoke ]; then
  export CUDA_VISIBLE_DEVICES= OMP_NUM_THREADS=1 MPLBACKEND=Agg
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  t0=$SECONDS; fails=0
  # every script in bench/ must have a smoke command here, so that none can rot unnoticed
  # (each writes its figures to $tmp/NAME.json, which must then hold some)
  declare -A cmd=(
    [assets.py]="--smoke --json $tmp/assets.json"
    [cli.py]="--smoke --json $tmp/cli.json"
    [deepdream.py]="--smoke --json $tmp/deepdream.json"
    [molecules.py]="--smoke --json $tmp/molecules.json --log $tmp/molecules.txt"
    [movie.py]="--smoke --json $tmp/movie.json"
    [music.py]="--smoke --json $tmp/music.json --log $tmp/music.txt"
    [style.py]="--smoke --json $tmp/style.json"
    [textgen.py]="--smoke --json $tmp/textgen.json"
    [textgen_quality.py]="--smoke --out $tmp/textgen_quality"
    [sampling.py]="--smoke --json $tmp/sampling.json"
  )
  for f in bench/[!_]*.py; do
    s=$(basename "$f")
    if [ -z "${cmd[$s]+x}" ]; then echo "smoke: $f has no smoke command in bench/gpu.sh" >&2; fails=$((fails+1)); continue; fi
    t=$SECONDS
    if timeout 150 "$py" "$f" ${cmd[$s]} >"$tmp/$s.log" 2>&1 && grep -q '"figures"' "$tmp/${s%.py}.json"; then echo "smoke: $s ok ($((SECONDS-t))s)"
    else echo "smoke: $s FAILED ($((SECONDS-t))s); its last lines:" >&2; tail -n 15 "$tmp/$s.log" >&2; fails=$((fails+1)); fi
  done
  echo "smoke: $(ls bench/[!_]*.py | wc -l) scripts, $fails failed, in $((SECONDS-t0))s"
  exit $((fails > 0))
fi

"$py" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 'bench/gpu.sh: no CUDA GPU here (bench/gpu.sh --smoke runs the CPU smoke test)')"
gpu=$("$py" -c "import torch; print(torch.cuda.get_device_name(0))")
tag=$(echo "$gpu" | tr -cs 'A-Za-z0-9' '-' | sed 's/^-//; s/-$//' | tr 'A-Z' 'a-z')
res=bench/results; mkdir -p "$res"
echo "GPU: $gpu; logs go to $res/*-$tag.txt, figures to $res/*-$tag.json"
t0=$SECONDS
run() {   # run NAME CMD...: run a benchmark, keep its output in bench/results/NAME-<gpu>.txt (its figures: CMD's --json)
  local name=$1; shift; local t=$SECONDS
  { echo "$ $*"; echo "GPU: $gpu; $(uptime | sed 's/.*load/load/')"; } > "$res/$name-$tag.txt"
  "$@" 2>&1 | grep -v -i 'warn' | tee -a "$res/$name-$tag.txt"
  echo "($name took $((SECONDS-t))s)" | tee -a "$res/$name-$tag.txt"
}
run assets "$py" bench/assets.py --full --json "$res/assets-$tag.json"
run textgen "$py" bench/textgen.py --full --threads 1 --json "$res/textgen-$tag.json"
run deepdream "$py" bench/deepdream.py --gpu --runs 5 --json "$res/deepdream-$tag.json"
run movie "$py" bench/movie.py --gpu --json "$res/movie-$tag.json"
run style "$py" bench/style.py --size 512 --device cuda --threads 0 --json "$res/style-$tag.json" \
  --pairs chelsea:hokusai_great_wave,coffee:kandinsky_composition_viii,astronaut:van_gogh_cafe_terrace,rocket:van_gogh_night_cafe
run textgen_quality "$py" bench/textgen_quality.py --full --threads 1 --out "$res/textgen_quality-$tag"
run sampling "$py" bench/sampling.py --full --json "$res/sampling-$tag.json"
# Both models at their GPU sizes on tiny Shakespeare (nanoGPT's data: cased, the last 10% held out), 3 minutes each:
# nanoGPT's shakespeare_char reaches 1.4697 in about 3 minutes on an A100. The file comes from TINY_SHAKESPEARE, else the web.
ts=${TINY_SHAKESPEARE:-${XDG_CACHE_HOME:-$HOME/.cache}/gendl-bench/tinyshakespeare.txt}
mkdir -p "$(dirname "$ts")"
if [ -s "$ts" ] || { curl -fsSL -o "$ts.part" https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt && mv "$ts.part" "$ts"; }; then
  run textgen_quality_shakespeare "$py" bench/textgen_quality.py --full --cased --corpus "$ts" --minutes 3 --ref-minutes 0 \
    --target 1.4697 --threads 1 --out "$res/textgen_quality_shakespeare-$tag"
else echo "tiny Shakespeare: no file at $ts and no network: set TINY_SHAKESPEARE to a copy of karpathy/char-rnn's data/tinyshakespeare/input.txt" >&2; fi
run molecules "$py" bench/molecules.py --device cuda --minutes 3 --json "$res/molecules-$tag.json" --log ''
run music "$py" bench/music.py --device cuda --minutes 3 --json "$res/music-$tag.json" --log ''
echo "bench/gpu.sh: all done in $((SECONDS-t0))s on $gpu"
