#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter, or explain what is missing.
# Order: $PYTHON310, python3.10 on PATH, pyenv's 3.10.x, a uv-managed 3.10
# (installed with `uv python install 3.10` when none is found).
set -u
UV=${UV:-uv}

works() { [ -n "$1" ] && [ -x "$1" ] && "$1" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

candidates=("${PYTHON310:-}" "$(command -v python3.10 2>/dev/null || true)")
if command -v pyenv >/dev/null 2>&1; then
  for p in "$(pyenv root)"/versions/3.10.*/bin/python3.10; do candidates+=("$p"); done
fi
for p in "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do candidates+=("$p"); done

for candidate in "${candidates[@]}"; do
  if works "$candidate"; then echo "$candidate"; exit 0; fi
done

found=$("$UV" python find 3.10 2>/dev/null || true)
if works "$found"; then echo "$found"; exit 0; fi

echo "No Python 3.10 found; trying 'uv python install 3.10'..." >&2
if "$UV" python install 3.10 >&2; then
  found=$("$UV" python find 3.10 2>/dev/null || true)
  if works "$found"; then echo "$found"; exit 0; fi
fi

cat >&2 <<'MSG'
ERROR: Rasa 3.6 needs Python 3.10 and none could be found or installed.
Install one of these, then run the command again:
  - uv python install 3.10            (https://docs.astral.sh/uv/)
  - pyenv install 3.10                (https://github.com/pyenv/pyenv)
  - your system's python3.10 package  (e.g. apt-get install python3.10-venv)
or point PYTHON310 at an interpreter:  make run PYTHON310=/path/to/python3.10
MSG
exit 1
