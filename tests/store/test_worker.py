"""store/worker.py: a query worker's memory cap leaves room for the engine's threads."""

from __future__ import annotations

import subprocess
import sys

# A worker capped as the pool caps it, then 40 threads that each allocate a little (as the
# engine's threads do). glibc reserves 64 MiB of address space per thread arena, so without
# the arena limit the cap runs out after about ten threads, whatever the query's own needs.
SCRIPT = """
import threading, time
from diplograph.store.worker import limit_memory
limit_memory(700 * 1024 * 1024)
started = []
def work():
    block = [bytearray(300_000) for _ in range(3)]
    started.append(len(block))
    time.sleep(0.5)
threads = []
try:
    for _ in range(40):
        threads.append(threading.Thread(target=work))
        threads[-1].start()
except RuntimeError as exc:
    print("refused:", exc)
for t in threads:
    t.join()
print(len(started))
"""


def test_capped_worker_can_still_start_the_engines_threads():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "40", out.stdout + out.stderr
