"""Several input files translated at the same time, one process each, merged in file order.

The merge gives exactly what one process writes (``tests/test_adapter_parallel.py`` compares every
output byte for byte): each worker runs the ordinary one-file translation (``engine._translate_file``)
into a folder of its own, and the parent then takes the files' parts strictly in input order —

* records: each entity's JSON Lines appended as bytes;
* rejected rows: the worker's pending lines appended, and its columns added to the union in the
  order the worker first met them (the order ``rejected.csv``'s columns take when one process
  reads the files one after another);
* the per-row trail: appended without the worker's byte-order mark and header;
* the ledger: the file's counts, money tallies, reasons, controls and findings added.

A file's error (unreadable, wrong layout …) is raised when its turn comes, as in one process; the
run then keeps nothing, as in one process. Each worker is a fresh ``python -m
jincai.adapters.parallel`` process: not a fork (a forked child of a process whose polars or DuckDB
threads hold a lock can wait for ever) and not ``multiprocessing``'s spawn (which re-imports the
caller's main script, so a script without a ``__main__`` guard would fail). Only JSON Lines output is
merged (an Avro container file cannot be joined by bytes; ``engine._workers`` keeps Avro in one
process). The gain is bounded by the machine: on this project's 2-core benchmark VM two whole
translations side by side run at 1.25–1.94× one, mostly ≈ 1.45× (``benchmarks/results/translate.json``,
``two_at_once``), because one translation already keeps 1.3 cores busy.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import Future, TimeoutError
from pathlib import Path
from typing import Any

from jincai.adapters.ledger import Ledger
from jincai.adapters.profile import Profile
from jincai.errors import JincaiError


def translate_files(profile: Profile, inputs: list[str], sets: dict[str, str] | None, trail: bool, workers: int, out: Path,
                    writers: dict[str, Any], rejections: Any, ledger: Ledger) -> None:
    """Translate ``inputs`` in ``workers`` processes into the parent's open ``writers``,
    ``rejections`` and ``ledger`` (see the module docstring)."""
    parts = Path(tempfile.mkdtemp(prefix=".jincai-parts-", dir=out))
    results: list[Future] = [Future() for _ in inputs]
    todo = iter(range(len(inputs)))
    lock = threading.Lock()
    stop = threading.Event()
    procs: list[subprocess.Popen] = []

    def serve(k: int) -> None:
        """One thread per worker process: hand it the next file until none is left."""
        errors = parts / f"worker-{k}.stderr"  # a file, not a pipe: nobody reads it while the worker runs
        with open(errors, "wb") as err_fh:
            proc = subprocess.Popen([sys.executable, "-m", "jincai.adapters.parallel", str(parts)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err_fh)
        procs.append(proc)
        try:
            while not stop.is_set():
                with lock:
                    i = next(todo, None)
                if i is None:
                    return
                folder = parts / str(i)
                folder.mkdir()
                (folder / "spec.pickle").write_bytes(pickle.dumps((profile, inputs[i], sets, trail, str(folder))))
                try:
                    assert proc.stdin is not None and proc.stdout is not None
                    proc.stdin.write(b"%d\n" % i)  # only a number on the pipe: the folder's name is the caller's
                    proc.stdin.flush()
                    answer = proc.stdout.readline()
                except OSError:
                    answer = b""
                result = folder / "result.pickle"
                if answer.strip() != b"done" or not result.exists():  # a crash of jincai itself, not a property of the file
                    proc.kill()
                    proc.wait()
                    err = errors.read_bytes().decode("utf-8", "replace")[-4000:]
                    results[i].set_exception(RuntimeError(f"translation worker for {inputs[i]} failed (exit {proc.returncode}):\n{err}"))
                    stop.set()
                    return
                results[i].set_result(pickle.loads(result.read_bytes()))  # written by our own worker, in our own folder
        finally:
            if proc.poll() is None:
                proc.stdin.close()  # type: ignore[union-attr]
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    threads = [threading.Thread(target=serve, args=(k,), name=f"jincai-translate-{k}", daemon=True) for k in range(workers)]
    for t in threads:
        t.start()
    try:
        for fut in results:  # strictly in input order
            while not fut.done():
                if not any(t.is_alive() for t in threads) and not fut.done():  # every worker gone before this file
                    raise RuntimeError("translation workers stopped early")
                try:
                    fut.result(timeout=0.5)
                except TimeoutError:
                    continue
            done = fut.result()
            if isinstance(done, JincaiError):
                raise done
            _merge(done, writers, rejections, ledger)
    finally:
        stop.set()
        for p in procs:  # after an error, the files still being translated are not waited for
            if p.poll() is None:
                p.kill()
        for t in threads:
            t.join()
        shutil.rmtree(parts, ignore_errors=True)


def _one(profile: Profile, path: str, sets: dict[str, str] | None, trail: bool, folder: str) -> dict[str, Any] | JincaiError:
    """In a worker: one file, as ``engine.translate`` does it, into ``folder``."""
    from jincai.adapters import engine

    out = Path(folder)
    plans, filters = engine.prepare(profile, sets)
    controls = engine.compile_controls(profile)
    ledger = engine.new_ledger(profile, plans, "jsonl")
    writers = engine.open_writers(plans, out, "jsonl")
    rejections = engine._Rejections(out)
    if trail:
        ledger.open_trail(out / "trail.csv")
    ok = False
    try:
        engine._translate_file(profile, path, plans, filters, writers, rejections, ledger, controls)
        ok = True
    except JincaiError as exc:
        return exc
    finally:
        for w in writers.values():
            w.close(ok)
        ledger.close_trail()
        rejections.fh.close()
    return {
        "ledger": ledger,
        "records": {entity: (str(w.path), w.count) for entity, w in writers.items()},
        "rejected": (str(rejections.tmp), list(rejections.columns), rejections.count),
        "trail": str(out / "trail.csv") if trail else None,
    }


def _merge(done: dict[str, Any], writers: dict[str, Any], rejections: Any, ledger: Ledger) -> None:
    for entity, (path, count) in done["records"].items():
        w = writers[entity]
        w.flush()
        with open(path, "rb") as src:
            shutil.copyfileobj(src, w.fh, 1 << 20)
        w.count += count
    path, columns, count = done["rejected"]
    with open(path, encoding="utf-8") as src:
        shutil.copyfileobj(src, rejections.fh, 1 << 20)
    for c in columns:
        rejections.columns.setdefault(c, None)
    rejections.count += count
    if done["trail"] is not None and ledger._trail_bin is not None:
        with open(done["trail"], "rb") as src:
            src.readline()  # the BOM and the header: the parent's trail has them already
            shutil.copyfileobj(src, ledger._trail_bin, 1 << 20)
    part: Ledger = done["ledger"]
    ledger.files.update(part.files)
    ledger.paths.update(part.paths)
    ledger.filtered_by_reason.update(part.filtered_by_reason)
    ledger.rejected_by_reason.update(part.rejected_by_reason)
    ledger.records_from_rows.update(part.records_from_rows)
    ledger.reason_text.update(part.reason_text)
    ledger.unpivot_blank_cells += part.unpivot_blank_cells
    ledger.controls.extend(part.controls)
    ledger.findings.extend(part.findings)
    for key, t in part.money.items():
        m = ledger.money[key]
        m.source += t.source
        m.translated += t.translated
        m.rejected += t.rejected
        m.unparsed_rejected += t.unparsed_rejected
        m.empty += t.empty


def _serve() -> None:
    """A worker: for each file number on stdin, translate the spec in that folder and answer ``done``."""
    root = Path(sys.argv[1])
    for line in sys.stdin.buffer:
        folder = root / str(int(line))
        result = _one(*pickle.loads((folder / "spec.pickle").read_bytes()))
        (folder / "result.pickle.tmp").write_bytes(pickle.dumps(result))
        (folder / "result.pickle.tmp").replace(folder / "result.pickle")
        sys.stdout.buffer.write(b"done\n")
        sys.stdout.buffer.flush()


if __name__ == "__main__":  # python -m jincai.adapters.parallel PARTS: one worker
    _serve()
