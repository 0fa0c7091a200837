"""``make bench``: how fast the project is, each ratio measured beside its target; fails on a miss.

1. ``make -B figures`` (data and every notebook, papermill in forked workers, all at once)
   against the naive route, papermill's command line on each notebook one after another: at most :data:`TARGETS` ``rebuild``. The median of paired
   runs, alternating which goes first.
2. A no-op ``make figures`` against a bare ``python -c "import pandas"``.
3. ``make test-unit`` (the fast tier) against the same ``import pandas``.
4. ``make test`` against ``make -B figures``, both on a warm environment.
5. The build of ``data/processed/`` (``make data``'s command) from the official set as it is,
   against the same build from the set without the primary table: what reading and validating
   the e-Stat download costs. The median of paired runs, alternating which goes first.

Every command runs in a copy of the current commit (its environment hard-linked, so nothing is
downloaded), so the work tree is not touched. The exit status is non-zero when any ratio misses
its target, and the table says which.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import paths
from analysis.files import write_if_changed
from analysis.notebooks import KERNEL
from analysis.publish.readme import BENCHMARK_FILE, splice

#: The generated section the measurements are written into, in :data:`PAGE`.
SECTION = "benchmark"
PAGE = paths.ROOT / BENCHMARK_FILE

#: Each ratio's target: the measured ratio must be at most this.
TARGETS = {"rebuild": 0.5, "noop": 0.5, "unit": 10.0, "test": 5.0, "data": 1.3}
#: Commands run as a user would type them, not as children of the `make bench` that started us.
ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}


class CommandFailed(RuntimeError):
    """A timed command failed: the benchmark cannot stand."""


def timed(cmd: list[str], cwd: Path) -> float:
    """Wall-clock seconds of one run of ``cmd``; raises when it fails."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=ENV)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise CommandFailed(f"{' '.join(cmd)} failed in the copy:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    return seconds


def median(cmd: list[str], cwd: Path, repeat: int) -> float:
    """The median of ``repeat`` runs."""
    return statistics.median(timed(cmd, cwd) for _ in range(repeat))


def copy_of_head(folder: Path) -> Path:
    """A clone of the current commit with the environment hard-linked and set up there."""
    clone = folder / "clone"
    subprocess.run(["git", "clone", "--quiet", str(paths.ROOT), str(clone)], check=True)
    for name in (".venv", ".tools"):
        if (paths.ROOT / name).exists():
            subprocess.run(["cp", "-al", str(paths.ROOT / name), str(clone / name)], check=True)
    timed(["make", "setup-dev"], clone)
    timed(["make", "figures"], clone)
    return clone


def naive(clone: Path, out: Path) -> float:
    """papermill on each notebook, one after another, as the notebooks would run without the driver."""
    papermill = [str(clone / ".venv/bin/python"), "-m", "papermill", "--no-progress-bar", "-k", KERNEL]
    start = time.perf_counter()
    for nb in sorted((clone / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        done = subprocess.run(
            [*papermill, str(nb), str(out / nb.name)], cwd=clone / "notebooks", capture_output=True, text=True, env=ENV
        )
        if done.returncode != 0:
            raise CommandFailed(f"papermill {nb.name} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def without_primary(clone: Path, folder: Path) -> Path:
    """A copy of the clone's official set without the primary table (and without its provenance entries)."""
    import json

    from analysis.sources import primary

    target = folder / "official-without-table"
    shutil.copytree(clone / paths.relative(paths.RAW_OFFICIAL), target)
    shutil.rmtree(target / primary.FOLDER)
    record = target / "provenance.json"
    entry = json.loads(record.read_text(encoding="utf-8"))
    entry["files"] = {k: e for k, e in entry["files"].items() if not k.startswith(f"{primary.FOLDER}/")}
    record.write_text(json.dumps(entry, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def data_builds(clone: Path, folder: Path, pairs: int) -> tuple[float, float]:
    """Median seconds of the build with the primary table and without it, in alternating pairs."""
    build = [str(clone / ".venv/bin/python"), "-m", "analysis.build"]
    without = without_primary(clone, folder)
    runs = {"with": [], "without": []}
    order = [
        ("with", [*build, "--out", str(folder / "with")]),
        ("without", [*build, "--out", str(folder / "without"), "--official", str(without)]),
    ]
    for i in range(pairs):
        for name, cmd in order if i % 2 == 0 else reversed(order):
            runs[name].append(timed(cmd, clone))
    return statistics.median(runs["with"]), statistics.median(runs["without"])


def measure(pairs: int, repeat: int) -> list[tuple[str, float, float, str, str, float]]:
    """Every ratio: (name, measured, denominator, units, what, target)."""
    with tempfile.TemporaryDirectory(prefix="bench-", dir=paths.TMP if paths.TMP.exists() else None) as tmp:
        tmp = Path(tmp)
        clone = copy_of_head(tmp)
        out = tmp / "naive"
        out.mkdir()
        rebuilds, naives = [], []
        for i in range(pairs):
            order = [
                ("make", lambda: rebuilds.append(timed(["make", "-B", "figures"], clone))),
                ("naive", lambda: naives.append(naive(clone, out))),
            ]
            for _, run in order if i % 2 == 0 else reversed(order):
                run()
        rebuild, naive_s = statistics.median(rebuilds), statistics.median(naives)
        timed(["make", "figures"], clone)
        noop = median(["make", "figures"], clone, repeat)
        pandas = median([str(clone / ".venv/bin/python"), "-c", "import pandas"], clone, repeat)
        unit = median(["make", "test-unit"], clone, 3)
        test = timed(["make", "test"], clone)
        after = timed(["make", "figures"], clone)
        with_table, without_table = data_builds(clone, tmp, repeat)
    return [
        (
            "make -B figures / naive papermill, one after another",
            rebuild,
            naive_s,
            "s",
            f"median of {pairs} paired runs",
            TARGETS["rebuild"],
        ),
        ("no-op make figures / python -c 'import pandas'", noop, pandas, "s", f"median of {repeat}", TARGETS["noop"]),
        ("make test-unit / python -c 'import pandas'", unit, pandas, "s", "median of 3", TARGETS["unit"]),
        ("make test / make -B figures", test, rebuild, "s", "one run, warm", TARGETS["test"]),
        ("make figures right after make test / import pandas", after, pandas, "s", "one run", TARGETS["noop"]),
        (
            "make data with the primary table / without it",
            with_table,
            without_table,
            "s",
            f"median of {repeat} paired runs",
            TARGETS["data"],
        ),
    ]


def markdown(rows) -> str:
    """The benchmark's generated section (in docs/development.md): every ratio beside its target, as measured."""
    lines = [
        f"Measured by `make bench` on {os.cpu_count()} cores.",
        "",
        "| measure | measured | ratio | target | result |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, value, base, _, what, target in rows:
        ratio = value / base
        lines.append(
            f"| {name} ({what}) | {value:.2f} s / {base:.2f} s | {ratio:.2f} | at most {target:g} | "
            f"{'met' if ratio <= target else '**missed**'} |"
        )
    return "\n".join(lines)


def report(rows) -> tuple[str, bool]:
    """The table, and whether every target was met."""
    lines = [
        f"make bench on {os.cpu_count()} cores",
        "",
        f"  {'measure':54} {'measured':>17}  {'how':25} {'ratio':>6}  {'target':>8}  result",
    ]
    ok = True
    for name, value, base, _, what, target in rows:
        ratio = value / base
        met = ratio <= target
        ok &= met
        lines.append(
            f"  {name:54} {value:6.2f} s / {base:5.2f} s  {what:25} {ratio:6.2f}  <= {target:<5g} "
            f"{'met' if met else 'MISSED'}"
        )
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    """Measure, print, and fail when a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m analysis.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3, help="paired runs of the rebuild and the naive route")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each quick command")
    args = parser.parse_args(argv)
    if not shutil.which("git"):
        print("make bench: git is needed to copy the current commit", file=sys.stderr)
        return 2
    try:
        rows = measure(args.pairs, args.repeat)
    except CommandFailed as err:
        print(f"make bench: {err}", file=sys.stderr)
        return 1
    text, ok = report(rows)
    print(text)
    write_if_changed(PAGE, splice(PAGE.read_text(encoding="utf-8"), SECTION, markdown(rows)))
    print(f"make bench: the table is in {BENCHMARK_FILE} (section {SECTION!r})")
    if not ok:
        print("make bench: a target was missed", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    from analysis import cli

    sys.exit(cli.entry(main))
