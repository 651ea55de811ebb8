"""Where a cold build spends its time, stage by stage, with 1 worker and with 2.

Usage:

    .venv/bin/python bench/stages.py [--sizes 2000 10000] [--jobs 1 2] [--work DIR]

For each size it makes the synthetic site once (bench/make_site.py, `search:
false`), then for each worker count runs one cold build in a fresh process (no
output, no cache: `--no-cache` into a new folder) and prints the build's own
timings per stage (`BuildResult.timings`: config, stories, assemble, templates,
write) and the wall time, then the speed-up of each worker count over the first.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["config", "stories", "assemble", "templates", "write"]

# Run in a fresh interpreter: one cold build, its stage timings and wall time as JSON.
PROBE = """
import json, sys, time
from pathlib import Path
from briefgen.build import BuildOptions, build
site, output, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
result = build(BuildOptions(site_dir=site, output_dir=output, cache=False, jobs=jobs))
wall = time.perf_counter() - start
assert result.written, [d.format() for d in result.diagnostics.items]
print(json.dumps({"timings": result.timings, "wall": wall, "pages": result.pages}))
"""


def make_site(size: int, work: Path) -> Path:
    site = work / f"site-{size}"
    if not (site / "content").is_dir():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_site.py"), str(size), str(site)], check=True)
    config = site / "briefgen.yaml"
    text = config.read_text()
    if "search: false" not in text:
        config.write_text(text.replace("search: true\n", "") + "search: false\n")
    return site


def measure(site: Path, jobs: int, work: Path) -> dict[str, float]:
    output = work / f"out-{jobs}"
    shutil.rmtree(output, ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", PROBE, str(site), str(output), str(jobs)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    shutil.rmtree(output, ignore_errors=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {**{stage: found["timings"].get(stage, 0.0) for stage in STAGES}, "wall": found["wall"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--work", type=Path, help="where to make the sites (default: a new temporary folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="briefgen-stages-"))
    work.mkdir(parents=True, exist_ok=True)
    print("| stories | workers | " + " | ".join(STAGES) + " | wall | speed-up |")
    print("|---|---|" + "---|" * (len(STAGES) + 2))
    for size in args.sizes:
        site = make_site(size, work)
        first = None
        for jobs in args.jobs:
            figures = measure(site, jobs, work)
            first = first or figures["wall"]
            cells = " | ".join(f"{figures[stage]:.2f} s" for stage in STAGES)
            print(f"| {size:,} | {jobs} | {cells} | {figures['wall']:.2f} s | {first / figures['wall']:.2f}x |",
                  flush=True)


if __name__ == "__main__":
    main()
