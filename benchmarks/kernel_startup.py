"""Start-up cost of the student's kernel: nbgrader's plain kernel against the contained one.

`python benchmarks/kernel_startup.py [--repeats N]` starts each kind N times (start, first reply,
shutdown: what autograde pays once per notebook) and prints the medians, wall time, and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time

from jupyter_client.manager import AsyncKernelManager

from grader.sandbox.kernel import ContainedKernelManager


async def one_start(manager_class, cwd: str) -> float:
    km = manager_class(kernel_name="python3")
    started = time.perf_counter()
    await km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    ready = time.perf_counter() - started
    kc.stop_channels()
    await km.shutdown_kernel(now=False)
    return ready, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cwd:
        results = {}
        for name, cls in (("plain (nbgrader's)", AsyncKernelManager), ("contained", ContainedKernelManager)):
            runs = [asyncio.run(one_start(cls, cwd)) for _ in range(args.repeats)]
            results[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
            print(f"{name:20s} ready after {results[name][0]:.3f} s, start to shutdown {results[name][1]:.3f} s "
                  f"(median of {args.repeats})")
    plain, contained = results["plain (nbgrader's)"], results["contained"]
    print(f"contained / plain: ready {contained[0] / plain[0]:.2f}x (+{contained[0] - plain[0]:.3f} s), "
          f"start to shutdown {contained[1] / plain[1]:.2f}x (+{contained[1] - plain[1]:.3f} s) per notebook")


if __name__ == "__main__":
    main()
