"""Throughput, memory, parallel speed-up and incremental rebuild time of the pipeline on a corpus of N articles.

    python benchmarks/run.py --docs 1000 [--extra DIR] [--sources DIR] [--build-only]

The corpus is built from the articles in raw/ (or --sources, and --extra): copy i of an article
gets its own third line ("Benchmark copy i of <name>."), so every copy is a distinct text that
really is parsed rather than found in the cache. The pipeline then runs as DVC runs it, one
process per stage (clean, parse, extract, validate, tables) on a work folder:

1. a full build with parse.n_process = 1: words/s of the whole pipeline, and the peak resident
   memory of each stage;
2. bare ``nlp.pipe`` over the same cleaned texts with the same model components, without the
   project's own paragraph_sentences (model loading not timed), once right before the full build
   and once right after it: words/s, and the ratio pipeline / bare, bare taken as the mean time
   of the two runs, so a machine that slows down or speeds up during the run tilts the ratio less;
3. one article edited, the same work folder rebuilt: its time relative to the full build;
4. a full build from scratch with parse.n_process = 2: the speed-up over step 1.

During the full build of step 1, bare ``nlp.pipe`` also runs on the machine's other core, over
the same texts again and again, and logs when each text finishes: its words/s while the build
ran is the paired baseline, and the pipeline's words/s over it the paired ratio. The two share
the machine's speed from second to second, which drifted by 3.5-7% between the sequential phases
of earlier runs, more than the margin the target leaves. It needs two cores (one each) and is
skipped on one; the JSON's ``ratio`` is the paired one where it was measured, else the
sequential one, and both are printed.

--build-only stops after step 1 (the others print null): enough to compare peak memory across
corpus sizes, e.g. --docs 1000 and --docs 10000 on short articles (--sources).

The package is byte-compiled first, as installing it would: where PYTHONDONTWRITEBYTECODE is set
(as on our machines) Python would otherwise compile its modules from source in every stage's
process, about 0.1 s each, a cost no installed pipeline pays.

Figures are printed as they come, each also by CPU time (user + system, children included),
which a shared machine distorts less than wall time, with the share of CPU time the host of a
virtual machine took away (steal time) during each timed phase; the last line is one JSON object with the keys
pipeline_wps, bare_wps, ratio, speedup_2proc, incremental_ratio and peak_mb. It times real
runs, so run it on a quiet machine; a loaded one gives low and noisy figures.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
STAGES = ("clean", "parse", "extract", "validate", "tables")

# The model's own components only: the parse stage's paragraph_sentences is the project's code,
# so its cost counts against the pipeline, not the baseline. Model loading and a first text are not timed.
_LOAD_MODEL = """
import itertools, json, sys, time
import spacy, yaml
params = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
with open(sys.argv[2], encoding="utf-8") as f:
    texts = [json.loads(line)["text"] for line in f if line.strip()]
nlp = spacy.load(params["model"], exclude=params["parse"]["exclude"])
list(nlp.pipe(texts[:1]))
"""

BARE = _LOAD_MODEL + """
start, cpu = time.perf_counter(), time.process_time()
for _ in nlp.pipe(texts, batch_size=params["parse"]["batch_size"], n_process=params["parse"]["n_process"]):
    pass
print(json.dumps({"seconds": time.perf_counter() - start, "cpu_seconds": time.process_time() - cpu}))
"""

# Bare nlp.pipe over the texts in a loop until it is killed, one line per finished text: the
# monotonic clock (shared by every process of the machine) and the text's words.
BARE_LOOP = _LOAD_MODEL + """
texts = [(text, len(text.split())) for text in texts]
with open(sys.argv[3], "w", encoding="utf-8", buffering=1) as log:
    log.write(f"{time.monotonic()} 0\\n")
    for _, words in nlp.pipe(itertools.cycle(texts), as_tuples=True, batch_size=params["parse"]["batch_size"]):
        log.write(f"{time.monotonic()} {words}\\n")
"""


def build_corpus(sources: list[Path], n: int, folder: Path) -> None:
    """N articles cycling through ``sources``, each copy made distinct by its own third line."""
    folder.mkdir(parents=True)
    for i in range(n):
        source = sources[i % len(sources)]
        lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
        lines.insert(2, f"Benchmark copy {i} of {source.stem}.")
        (folder / f"{i:06d}_{source.stem}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def cpu_counters() -> tuple[int, int] | None:
    """(steal, all) CPU time of the machine so far, in clock ticks, from /proc/stat; None off Linux."""
    try:
        ticks = [int(field) for field in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError, IndexError):
        return None
    return ticks[7], sum(ticks)


def report_steal(phase: str, before: tuple[int, int] | None) -> None:
    """Print the share of CPU time the host of a virtual machine took away during ``phase``: a
    ratio is only as good as the machine was equally fast in the two phases it compares."""
    after = cpu_counters()
    if before is not None and after is not None and after[1] > before[1]:
        print(f"host steal time during {phase}: {100 * (after[0] - before[0]) / (after[1] - before[1]):.1f}%",
              flush=True)


def run_measured(command: list[str]) -> tuple[float, float, float]:
    """Run a command: its wall time and CPU time in seconds, its peak resident memory in MB (children included)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def pipeline(params_file: Path, corpus: Path, work: Path) -> dict[str, tuple[float, float, float]]:
    """The stages as DVC runs them; (wall seconds, CPU seconds, peak MB) per stage."""
    work.mkdir(parents=True, exist_ok=True)
    clean, parsed, tables = work / "clean.jsonl", work / "parsed", work / "tables"
    # the clean stage's report goes to the work folder: by default it would overwrite the repository's
    # data/interim/report.json, a DVC output
    report = work / "report.json"
    args = {
        "clean": ["--input", corpus, "--output", clean, "--report", report],
        "parse": ["--input", clean, "--output", parsed],
        "extract": ["--clean", clean, "--parsed", parsed, "--cache", work / "extracted", "--output", tables],
        "validate": ["--input", tables, "--output", work / "validation.json"],
        "tables": ["--input", tables, "--output", work / "processed", "--report", report],
    }
    base = [sys.executable, "-m", "pipeline", "--quiet", "--params", str(params_file)]
    return {stage: run_measured(base + [stage] + [str(a) for a in args[stage]]) for stage in STAGES}


def count_words(clean_file: Path) -> int:
    with clean_file.open(encoding="utf-8") as f:
        return sum(len(json.loads(line)["text"].split()) for line in f if line.strip())


def total(times: dict[str, tuple[float, float, float]], *, cpu: bool = False) -> float:
    return sum(cpu_seconds if cpu else seconds for seconds, cpu_seconds, _ in times.values())


def show(label: str, times: dict[str, tuple[float, float, float]]) -> None:
    stages = ", ".join(f"{stage} {seconds:.1f}s/{cpu:.1f}s cpu/{mb:.0f}MB" for stage, (seconds, cpu, mb) in times.items())
    print(f"{label}: {total(times):.1f}s, {total(times, cpu=True):.1f}s cpu ({stages})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, required=True, help="number of articles in the corpus")
    parser.add_argument("--sources", type=Path, default=REPO / "raw", help="folder of raw .txt articles to copy (default: raw/)")
    parser.add_argument("--extra", type=Path, help="a folder of more raw .txt articles to draw copies from")
    parser.add_argument("--build-only", action="store_true", help="only the full build: throughput and peak memory")
    parser.add_argument("--params", type=Path, default=REPO / "params.yaml", help="(default: %(default)s)")
    parser.add_argument("--work", type=Path, help="work folder, kept afterwards (default: a temporary one, removed)")
    parser.add_argument("--no-2proc", action="store_true", help="skip the n_process=2 build (speedup_2proc null)")
    args = parser.parse_args()

    sources = sorted(args.sources.glob("*.txt")) + (sorted(args.extra.glob("*.txt")) if args.extra else [])
    work = args.work or Path(tempfile.mkdtemp(prefix="newsfacts-bench-"))
    try:
        corpus = work / "corpus"
        build_corpus(sources, args.docs, corpus)
        compileall.compile_dir(REPO / "pipeline", quiet=1)
        params = yaml.safe_load(args.params.read_text(encoding="utf-8"))
        params_files = {}
        for n_process in (1, 2):
            params["parse"] = {**params["parse"], "n_process": n_process, "engine": "local"}
            params_files[n_process] = work / f"params-{n_process}proc.yaml"
            params_files[n_process].write_text(yaml.safe_dump(params), encoding="utf-8")

        bare_before = paired = None
        if not args.build_only:
            bare_clean = clean_texts(params_files[1], corpus, work / "bare")
            bare_before = run_bare(params_files[1], bare_clean, "before")
            if (os.cpu_count() or 1) >= 2:
                paired = start_bare_loop(params_files[1], bare_clean, work / "bare" / "loop.log")
        mark = cpu_counters()
        started = time.monotonic()
        full = pipeline(params_files[1], corpus, work / "one")
        paired_wps = stop_bare_loop(*paired, started, time.monotonic()) if paired else None
        clean_file = work / "one" / "clean.jsonl"
        words = count_words(clean_file)
        print(f"corpus: {args.docs} articles from {len(sources)} sources, {words} words", flush=True)
        show("full build, 1 process", full)
        report_steal("the full build", mark)
        figures = {"pipeline_wps": round(words / total(full), 1), "bare_wps": None, "ratio": None,
                   "speedup_2proc": None, "incremental_ratio": None,
                   "peak_mb": round(max(mb for _, _, mb in full.values()), 1)}
        print(f"peak memory {figures['peak_mb']:.0f} MB", flush=True)
        if not args.build_only:
            bare_after = run_bare(params_files[1], clean_file, "after")
            figures |= compare_with_bare([bare_before, bare_after], words, full)
            if paired_wps:
                figures |= {"bare_wps": round(paired_wps, 1), "ratio": round(figures["pipeline_wps"] / paired_wps, 4)}
                print(f"paired: bare nlp.pipe on the other core during the full build {paired_wps:.0f} words/s, "
                      f"ratio {figures['ratio']:.3f}", flush=True)
            figures["incremental_ratio"] = incremental(params_files[1], corpus, work / "one", full)
            if not args.no_2proc:
                mark = cpu_counters()
                two = pipeline(params_files[2], corpus, work / "two")
                show("full build, 2 processes", two)
                report_steal("the 2-process build", mark)
                figures["speedup_2proc"] = round(total(full) / total(two), 3)
                print(f"speed-up of 2 processes over 1: {figures['speedup_2proc']:.2f}x", flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(figures))


def clean_texts(params_file: Path, corpus: Path, work: Path) -> Path:
    """The corpus's cleaned texts, for a bare run before the full build (its clean stage, untimed)."""
    work.mkdir(parents=True, exist_ok=True)
    clean_file = work / "clean.jsonl"
    subprocess.run([sys.executable, "-m", "pipeline", "--quiet", "--params", str(params_file), "clean",
                    "--input", str(corpus), "--output", str(clean_file), "--report", str(work / "report.json")],
                   cwd=REPO, check=True)
    return clean_file


def run_bare(params_file: Path, clean_file: Path, when: str) -> dict[str, float]:
    """Bare ``nlp.pipe`` on the cleaned texts, in a process of its own: its wall and CPU seconds."""
    mark = cpu_counters()
    bare = subprocess.run([sys.executable, "-c", BARE, str(params_file), str(clean_file)], cwd=REPO,
                          check=True, capture_output=True, text=True)
    times = json.loads(bare.stdout.splitlines()[-1])
    print(f"bare nlp.pipe {when} the full build: {times['seconds']:.1f}s, {times['cpu_seconds']:.1f}s cpu", flush=True)
    report_steal(f"bare nlp.pipe {when} the full build", mark)
    return times


def start_bare_loop(params_file: Path, clean_file: Path, log: Path) -> tuple[subprocess.Popen, Path]:
    """Start bare ``nlp.pipe`` looping over the cleaned texts; return once the model is loaded and parsing."""
    process = subprocess.Popen([sys.executable, "-c", BARE_LOOP, str(params_file), str(clean_file), str(log)], cwd=REPO)
    while not (log.exists() and log.read_text(encoding="utf-8").strip()):
        if process.poll() is not None:
            raise SystemExit(f"bare nlp.pipe loop failed ({process.returncode})")
        time.sleep(0.1)
    return process, log


def stop_bare_loop(process: subprocess.Popen, log: Path, start: float, end: float) -> float | None:
    """Stop the loop: its words/s from the last text it finished before ``start`` to the last before ``end``."""
    process.kill()
    process.wait()
    events = [(float(parts[0]), int(parts[1])) for parts in
              (line.split() for line in log.read_text(encoding="utf-8").splitlines()) if len(parts) == 2]
    first = max((t for t, _ in events if t < start), default=None)
    inside = [(t, words) for t, words in events if first < t <= end] if first is not None else []
    if not inside:
        return None
    return sum(words for _, words in inside) / (inside[-1][0] - first)


def compare_with_bare(bare_runs: list[dict[str, float]], words: int, full: dict) -> dict:
    """Bare ``nlp.pipe``'s words/s, from the mean time of its runs, and the pipeline's ratio to it."""
    seconds = sum(run["seconds"] for run in bare_runs) / len(bare_runs)
    cpu_seconds = sum(run["cpu_seconds"] for run in bare_runs) / len(bare_runs)
    pipeline_wps, bare_wps = words / total(full), words / seconds
    print(f"pipeline {pipeline_wps:.0f} words/s, bare nlp.pipe {bare_wps:.0f} words/s, ratio {pipeline_wps / bare_wps:.3f}")
    # CPU time is what a busy machine distorts least: the same ratio by CPU seconds.
    print(f"by CPU time: pipeline {words / total(full, cpu=True):.0f} words/s, bare "
          f"{words / cpu_seconds:.0f} words/s, ratio {cpu_seconds / total(full, cpu=True):.3f}", flush=True)
    return {"bare_wps": round(bare_wps, 1), "ratio": round(pipeline_wps / bare_wps, 4)}


def incremental(params_file: Path, corpus: Path, work: Path, full: dict) -> float:
    """Edit the middle article and rebuild in the same work folder: the rebuild's time over the full build's."""
    edited = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    edited.write_text(edited.read_text(encoding="utf-8").rstrip("\n") + " The figures were revised on Friday.\n",
                      encoding="utf-8")
    rebuild = pipeline(params_file, corpus, work)
    show(f"rebuild after editing {edited.name}", rebuild)
    ratio = total(rebuild) / total(full)
    print(f"incremental / full build: {ratio:.3f} (by CPU time {total(rebuild, cpu=True) / total(full, cpu=True):.3f})",
          flush=True)
    return round(ratio, 4)


if __name__ == "__main__":
    main()
