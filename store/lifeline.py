"""Child processes that must not outlive the process that started them."""

from __future__ import annotations

import contextlib
import signal


def die_with_parent(signum: int = signal.SIGKILL) -> None:
    """Have the kernel send this process `signum` when its parent dies (Linux prctl).

    Call it in the child: the signal comes when the thread that forked it ends, so fork
    from the main thread. Elsewhere (no prctl) it does nothing.
    """
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signum)  # PR_SET_PDEATHSIG
