"""``make bench``: how fast the build is, as ratios measured in one run on this machine.

1. ``make -B figures`` against the naive way: ``papermill`` on each notebook, one after another
   (target: at most 0.6 of the naive time on 2 cores).
2. A no-op ``make figures`` against a bare ``python -c "import pandas"`` (target: under 0.5).
3. The whole ``make test`` on a warm environment, in seconds (target: under 60 s).

Every command runs in a throwaway clone of the current commit, so the work tree is not touched.
This is a benchmark, not a test: it prints, it does not fail.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths
from analysis.notebooks import KERNEL


#: Commands run as a user would type them, not as children of the `make bench` that started us.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}


def _time(cmd: list[str], cwd: Path, repeat: int = 1) -> float:
    """Median wall-clock seconds of ``cmd`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"make bench: {' '.join(cmd)} failed in the clone:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="titp-bench-") as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(paths.ROOT), str(clone)], check=True)
        # The clone gets its own environment (from uv's cache), warmed before anything is timed.
        subprocess.run(["make", "data"], cwd=clone, check=True, stdout=subprocess.DEVNULL, env=ENV)
        notebooks = sorted((clone / "notebooks").glob("[0-9][0-9]-*.ipynb"))
        papermill = str(clone / ".venv" / "bin" / "papermill")
        out = Path(tmp) / "naive"
        out.mkdir()

        def naive() -> None:
            for nb in notebooks:
                subprocess.run([papermill, "--no-progress-bar", "-k", KERNEL, str(nb), str(out / nb.name)],
                               cwd=clone / "notebooks", check=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=ENV)

        start = time.perf_counter()
        naive()
        naive_s = time.perf_counter() - start
        make_s = _time(["make", "-B", "figures"], clone)
        subprocess.run(["make", "figures"], cwd=clone, check=True, stdout=subprocess.DEVNULL, env=ENV)
        noop_s = _time(["make", "figures"], clone, repeat=5)
        import_s = _time([sys.executable, "-c", "import pandas"], clone, repeat=5)
        test_s = _time(["make", "test"], clone)

    rows = [
        ("make -B figures / naive papermill, one after another",
         f"{make_s:.1f} s / {naive_s:.1f} s = {make_s / naive_s:.2f}", "<= 0.60"),
        ("no-op make figures / python -c 'import pandas'",
         f"{noop_s * 1000:.0f} ms / {import_s * 1000:.0f} ms = {noop_s / import_s:.2f}", "< 0.50"),
        ("make test, warm environment", f"{test_s:.1f} s", "< 60 s"),
    ]
    print(f"make bench on {os.cpu_count()} cores, {len(notebooks)} notebooks")
    for name, measured, target in rows:
        print(f"  {name:55} {measured:32} target {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
